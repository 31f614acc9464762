import type { ApiIssue, Bilingual } from '../../api-types.ts';

/**
 * The server names a field it has no label for by its path ("Isian quotas.perekaman.walkIn maksimal
 * 5000."); a page that knows the field's label puts it there ("Langsung (kios) — Perekaman KTP-el
 * maksimal 5000."). Messages that already name the field in words are left as the server wrote them.
 */
export function relabelIssues(issues: ApiIssue[], labelOf: (field: string) => Bilingual | undefined): ApiIssue[] {
  return issues.map((issue) => {
    const label = labelOf(issue.field);
    if (!label) return issue;
    const swap = (text: string, generic: string, own: string) => (text.startsWith(generic) ? own + text.slice(generic.length) : text);
    return { ...issue, messages: { id: swap(issue.messages.id, `Isian ${issue.field}`, label.id), en: swap(issue.messages.en, `Field ${issue.field}`, label.en) } };
  });
}
