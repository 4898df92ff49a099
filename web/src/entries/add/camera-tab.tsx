// The "Camera" tab: the device camera (the back one on phones) in a preview; "Capture" takes the
// current frame as a PNG and sends it down the same path as a QR image. The camera runs only
// while this tab shows it, and says plainly when there is none or permission was refused.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../ui/button.js";
import { CameraIcon, ErrorIcon } from "../../ui/icons.js";
import type { ImageImport } from "./image-import.js";
import { ReadingImage } from "./qr-image-tab.js";

type CameraState = "off" | "starting" | "live" | "unsupported" | "denied" | "missing" | "failed";

function cameraProblem(error: unknown): CameraState {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return "denied";
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "NotReadableError") return "missing";
  return "failed";
}

export function CameraTab({ image }: { image: ImageImport }) {
  const { t } = useTranslation();
  const [camera, setCamera] = useState<CameraState>(() => (navigator.mediaDevices?.getUserMedia === undefined ? "unsupported" : "off"));
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream>(undefined);

  const stop = (): void => {
    for (const track of streamRef.current?.getTracks() ?? []) track.stop();
    streamRef.current = undefined;
  };
  useEffect(() => stop, []);

  const start = async (): Promise<void> => {
    setCamera("starting");
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
      streamRef.current = stream;
      const video = videoRef.current;
      if (video === null) return stop();
      video.srcObject = stream;
      await video.play();
      setCamera("live");
    } catch (error) {
      stop();
      setCamera(cameraProblem(error));
    }
  };

  const capture = (): void => {
    const video = videoRef.current;
    if (video === null || video.videoWidth === 0) return;
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d")?.drawImage(video, 0, 0);
    canvas.toBlob((blob) => {
      if (blob === null) return;
      stop();
      setCamera("off");
      void image.submit(blob, t("entries.add.camera.capturedName"));
    }, "image/png");
  };

  if (image.state.phase === "reading") return <ReadingImage fileName={image.state.fileName} />;

  const problem = camera === "unsupported" || camera === "denied" || camera === "missing" || camera === "failed" ? t(`entries.add.camera.${camera}`) : undefined;
  const readError = image.state.phase === "pick" ? image.state.error : undefined;

  return (
    <div className="camera-tab" data-testid="camera-tab">
      <div className={`camera-frame${camera === "live" ? " camera-frame--live" : ""}`}>
        <video ref={videoRef} className="camera-frame__video" muted playsInline aria-label={t("entries.add.camera.preview")} />
        {camera === "live" ? (
          <span className="camera-frame__guide" aria-hidden="true" />
        ) : (
          <div className="camera-frame__idle">
            <CameraIcon width={28} height={28} />
            <p>{problem ?? t("entries.add.camera.intro")}</p>
          </div>
        )}
      </div>
      {readError === undefined ? null : (
        <p className="field__error" role="alert">
          <ErrorIcon className="field__error-icon" />
          <span>{readError}</span>
        </p>
      )}
      <div className="form__actions">
        {camera === "live" ? (
          <Button variant="primary" icon={<CameraIcon className="button__icon" />} onClick={capture} data-testid="camera-capture">
            {t("entries.add.camera.capture")}
          </Button>
        ) : camera === "unsupported" ? null : (
          <Button variant="primary" isBusy={camera === "starting"} onClick={() => void start()} data-testid="camera-start">
            {problem === undefined ? t("entries.add.camera.start") : t("entries.add.camera.retry")}
          </Button>
        )}
      </div>
    </div>
  );
}
