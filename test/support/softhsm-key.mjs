// Makes or lists keys on a SoftHSM token through pkcs11js (test/support/softhsm.ts runs it):
//   node softhsm-key.mjs MODULE create TOKEN PIN LABEL sealed|extractable ID
//   node softhsm-key.mjs MODULE labels TOKEN PIN
import pkcs11js from "pkcs11js";

const [module, command, token, pin, label, kind, id] = process.argv.slice(2);
const p11 = new pkcs11js.PKCS11();
p11.load(module);
p11.C_Initialize();
try {
  const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === token);
  if (slot === undefined) throw new Error(`no token ${token}`);
  const session = p11.C_OpenSession(slot, pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION);
  p11.C_Login(session, pkcs11js.CKU_USER, pin);
  if (command === "create") {
    const keyId = Buffer.alloc(4);
    keyId.writeUInt32BE(Number(id), 0);
    const isExtractable = kind === "extractable";
    p11.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_ID, value: keyId },
      { type: pkcs11js.CKA_ENCRYPT, value: true },
      { type: pkcs11js.CKA_DECRYPT, value: true },
      { type: pkcs11js.CKA_SIGN, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: !isExtractable },
      { type: pkcs11js.CKA_EXTRACTABLE, value: isExtractable },
    ]);
  } else if (command === "labels") {
    p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }]);
    const found = p11.C_FindObjects(session, 100);
    p11.C_FindObjectsFinal(session);
    const labels = found.map((o) => p11.C_GetAttributeValue(session, o, [{ type: pkcs11js.CKA_LABEL }])[0].value.toString("utf8"));
    process.stdout.write(JSON.stringify(labels.sort()));
  }
  p11.C_Logout(session);
  p11.C_CloseSession(session);
} finally {
  p11.C_Finalize();
}
