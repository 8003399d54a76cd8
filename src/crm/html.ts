const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to place in HTML, as an element's content or an attribute's value. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => entities[c]);
