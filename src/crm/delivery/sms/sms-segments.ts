// The GSM 03.38 default alphabet and its extension table (each extension character takes two septets).
const gsmBasic = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const gsmExtension = new Set('^{}\\[~]|€\f');

export interface SmsSize { encoding: 'GSM-7' | 'UCS-2'; characters: number; segments: number }

/**
 * How a carrier will bill a text: GSM-7 when every character is in the GSM alphabet (160 in one segment, 153 a
 * segment when split), otherwise UCS-2 (70, or 67 when split; characters beyond the BMP such as emoji count twice).
 * One "₹" or emoji turns the whole message into UCS-2, which is why the plan shows it.
 */
export function smsSize(text: string): SmsSize {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (gsmBasic.has(ch)) septets += 1;
    else if (gsmExtension.has(ch)) septets += 2;
    else { gsm = false; break; }
  }
  if (gsm) return { encoding: 'GSM-7', characters: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length; // UTF-16 code units: what UCS-2 carries.
  return { encoding: 'UCS-2', characters: units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

const classChar = (ch: string) => (/[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch === "'" ? "''" : ch);
const basicClass = [...gsmBasic].map(classChar).join('');
const extensionClass = [...gsmExtension].map(classChar).join('');

/**
 * The number of segments of a text expression in SQL, by the same rules as smsSize, for every message at launch
 * (a character beyond the BMP counts once here, twice in smsSize: this errs on the short side only for emoji).
 */
export function smsSegmentsSql(text: string): string {
  const gsm = `${text} ~ '^[${basicClass}${extensionClass}]*$'`;
  const septets = `(char_length(${text}) + char_length(regexp_replace(${text}, '[^${extensionClass}]', '', 'g')))`;
  return `(case when ${gsm} then case when ${septets} <= 160 then 1 else ceil(${septets} / 153.0) end
    else case when char_length(${text}) <= 70 then 1 else ceil(char_length(${text}) / 67.0) end end)::int`;
}
