import { en } from './en';
import { zh, type Dictionary, type MessageKey } from './zh';
import { townshipDate } from '../ui/time';

/** A supported interface language. */
export type Lang = 'zh' | 'en';

/** Values substituted into `{placeholder}`s of a message. */
export type MessageParams = Record<string, string | number>;

const STORAGE_KEY = 'gridatlas.lang';
const DICTIONARIES: Record<Lang, Dictionary> = { zh, en };
const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/**
 * The interface language: Simplified Chinese by default, English on request.
 * The choice is remembered in localStorage and mirrored to `<html lang>`.
 */
export class I18n {
  /** The current language. */
  lang = $state<Lang>(storedLang());

  constructor() {
    document.documentElement.lang = HTML_LANG[this.lang];
  }

  /** The BCP 47 tag of the current language, as sent in `Accept-Language`. */
  get locale(): string {
    return HTML_LANG[this.lang];
  }

  /** Switches the language, remembers it and updates `<html lang>`. */
  setLang(lang: Lang): void {
    this.lang = lang;
    document.documentElement.lang = HTML_LANG[lang];
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
  }

  /** Translates a key, filling `{placeholder}`s from `params`. */
  t(key: MessageKey, params?: MessageParams): string {
    const text = DICTIONARIES[this.lang][key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (match, name: string) => String(params[name] ?? match));
  }

  /** Formats a whole number with the grouping of the current language. */
  number(value: number): string {
    return value.toLocaleString(this.locale);
  }

  /** Formats an ISO timestamp as a calendar date (YYYY-MM-DD) on the township's clock (UTC+8). */
  date(iso: string): string {
    return townshipDate(iso);
  }
}

/** The application's single language state. */
export const i18n = new I18n();
