/** How a toast is coloured. */
export type ToastTone = 'error' | 'info';

/** One transient message shown above the map. */
export interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
}

const LIFETIME_MS = 6000;
const MAX_TOASTS = 4;

/** Short-lived notifications, newest last; duplicates of a visible message are merged. */
export class Toasts {
  /** The toasts currently shown. */
  items = $state<Toast[]>([]);
  #nextId = 1;

  /** Shows a message for a few seconds. */
  show(message: string, tone: ToastTone = 'error'): void {
    if (this.items.some((toast) => toast.message === message)) return;
    const toast: Toast = { id: this.#nextId++, message, tone };
    this.items = [...this.items, toast].slice(-MAX_TOASTS);
    setTimeout(() => this.dismiss(toast.id), LIFETIME_MS);
  }

  /** Removes a toast now. */
  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
  }
}

/** The application's toast stack. */
export const toasts = new Toasts();
