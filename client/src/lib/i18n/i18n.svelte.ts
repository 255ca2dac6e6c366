import { zh, type Dictionary, type MessageKey } from './zh';
import { townshipDate } from '../ui/time';

/** A supported interface language. */
export type Lang = 'zh' | 'en';

/** Values substituted into `{placeholder}`s of a message. */
export type MessageParams = Record<string, string | number>;

const STORAGE_KEY = 'gridatlas.lang';
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
  /**
   * The English texts, fetched on first use: most users read Chinese, and the
   * English dictionary would add ~10 kB (brotli) to the first page. Until it has
   * arrived, `t` answers in Chinese.
   */
  #english = $state.raw<Dictionary | null>(null);
  #englishLoading: Promise<Dictionary> | null = null;

  constructor() {
    document.documentElement.lang = HTML_LANG[this.lang];
    if (this.lang === 'en') void this.#loadEnglish().catch(() => undefined);
  }

  /** The BCP 47 tag of the current language, as sent in `Accept-Language`. */
  get locale(): string {
    return HTML_LANG[this.lang];
  }

  /**
   * Switches the language, remembers it and updates `<html lang>`. English is
   * switched to once its texts have arrived; if they cannot be fetched the
   * language stays as it was.
   */
  async setLang(lang: Lang): Promise<void> {
    if (lang === 'en') await this.#loadEnglish();
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
    const dictionary = this.lang === 'en' ? (this.#english ?? zh) : zh;
    const text = dictionary[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (match, name: string) => String(params[name] ?? match));
  }

  /** Fetches the English dictionary once (a chunk of its own). */
  #loadEnglish(): Promise<Dictionary> {
    this.#englishLoading ??= import('./en').then(
      ({ en }) => (this.#english = en),
      (error: unknown) => {
        // Let a later switch try again.
        this.#englishLoading = null;
        throw error;
      },
    );
    return this.#englishLoading;
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
