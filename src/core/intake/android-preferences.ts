// Reads an Android app's shared preferences file (shared_prefs/*.xml, what a rooted phone yields
// for apps that keep their accounts there): a <map> of <string name="…">text</string> and
// <int|long|boolean|float name="…" value="…"/> elements. Parsed with @xmldom/xmldom, which does not
// expand entities declared in the file (no "billion laughs") and fetches nothing; a parse error
// becomes our own sentence, since the parser's would quote the text around the fault.
import { DOMParser, type Element } from "@xmldom/xmldom";
import { invalidInput } from "../errors.js";

/** True for text that starts like an XML document whose root is <map> (after a declaration). */
export function looksLikeAndroidPreferences(text: string): boolean {
  return /^\s*(<\?xml[^>]*\?>\s*)?<map[\s>/]/u.test(text);
}

/** The preferences by name; throws invalid_input when the text is not a well-formed <map>. */
export function readAndroidPreferences(text: string, formatTitle: string): ReadonlyMap<string, string> {
  let root: Element | null;
  try {
    const parser = new DOMParser({
      onError: (level) => {
        // A warning (an unknown entity left as text, say) keeps the document; errors do not.
        if (level !== "warning") throw new Error("not well-formed");
      },
    });
    root = parser.parseFromString(text, "text/xml").documentElement;
  } catch {
    throw invalidInput(`This ${formatTitle} file looks like XML but is not well-formed; it may be damaged or cut short.`, "file");
  }
  if (root === null || root.tagName !== "map") throw invalidInput(`This file is not a ${formatTitle} preferences file: its root element is not <map>.`, "file");
  const preferences = new Map<string, string>();
  for (let node = root.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== node.ELEMENT_NODE) continue;
    const element = node as Element;
    const name = element.getAttribute("name");
    if (name === null || preferences.has(name)) continue;
    preferences.set(name, element.tagName === "string" ? (element.textContent ?? "") : (element.getAttribute("value") ?? ""));
  }
  return preferences;
}
