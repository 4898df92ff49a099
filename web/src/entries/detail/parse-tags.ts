// Tags as typed in one box: separated by commas, each trimmed, empty ones and repeats dropped,
// at most 50 characters each and 30 in all (as the API takes them).

export function parseTags(text: string): string[] {
  const tags: string[] = [];
  for (const part of text.split(",")) {
    const tag = part.trim().replace(/\s+/g, " ").slice(0, 50);
    if (tag !== "" && !tags.some((existing) => existing.toLocaleLowerCase() === tag.toLocaleLowerCase())) tags.push(tag);
  }
  return tags.slice(0, 30);
}
