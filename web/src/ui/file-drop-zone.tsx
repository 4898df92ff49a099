// Where a file goes in: a real file input (the keyboard and screen-reader way in), styled as a
// button, inside an area that also takes a dropped file.
import { useId, useState, type DragEvent, type ReactNode, type Ref } from "react";
import { FieldMessages } from "./field-parts.js";

interface FileDropZoneProps {
  /** The file input's label, e.g. "Choose an image". */
  readonly chooseLabel: string;
  /** What to do, e.g. "Drop a screenshot of the QR code here". */
  readonly prompt: string;
  readonly icon: ReactNode;
  readonly accept?: string;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  /** The file currently chosen, shown in place of the prompt's second line. */
  readonly chosen?: ReactNode;
  readonly isBusy?: boolean;
  readonly inputTestId?: string;
  readonly inputRef?: Ref<HTMLInputElement>;
  readonly onFile: (file: File) => void;
  readonly children?: ReactNode;
}

const hasFiles = (event: DragEvent): boolean => Array.from(event.dataTransfer.types).includes("Files");

export function FileDropZone({ chooseLabel, prompt, icon, accept, hint, error, chosen, isBusy = false, inputTestId, inputRef, onFile, children }: FileDropZoneProps) {
  const id = useId();
  const [isOver, setOver] = useState(false);
  const describedBy = [error === undefined ? undefined : `${id}-error`, hint === undefined ? undefined : `${id}-hint`].filter(Boolean).join(" ");

  const over = (event: DragEvent<HTMLDivElement>): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    setOver(true);
  };
  const drop = (event: DragEvent<HTMLDivElement>): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file !== undefined && !isBusy) onFile(file);
  };

  return (
    <div className={`drop-zone${isOver ? " drop-zone--over" : ""}${error === undefined ? "" : " drop-zone--invalid"}`}>
      <div
        className="drop-zone__area"
        onDragEnter={over}
        onDragOver={over}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={drop}
        data-testid="drop-zone"
      >
        <span className="drop-zone__icon">{icon}</span>
        <p className="drop-zone__prompt">{prompt}</p>
        {chosen === undefined ? null : <div className="drop-zone__chosen">{chosen}</div>}
        <div className="drop-zone__actions">
          <input
            ref={inputRef}
            id={id}
            type="file"
            className="drop-zone__input"
            accept={accept}
            disabled={isBusy}
            aria-invalid={error === undefined ? undefined : true}
            aria-describedby={describedBy === "" ? undefined : describedBy}
            data-testid={inputTestId}
            onChange={(event) => {
              const file = event.target.files?.[0];
              // Cleared, so choosing the same file again still counts as a choice.
              event.target.value = "";
              if (file !== undefined) onFile(file);
            }}
          />
          <label htmlFor={id} className="button button--secondary drop-zone__choose">
            <span>{chooseLabel}</span>
          </label>
          {children}
        </div>
      </div>
      <FieldMessages hint={hint} error={error} hintId={`${id}-hint`} errorId={`${id}-error`} />
    </div>
  );
}
