import { i18n } from '../../i18n/i18n.svelte';
import { toasts } from '../../ui/toasts.svelte';
import { kindLabel } from './labels';
import { leadsApi, type Lead, type LeadConversion, type LeadRegistration, type LeadStatus } from './leads-api';
import type { CaseKind } from './types';

/**
 * The lead list (线索清单) of the lead panel: the leads of the chosen status,
 * and the calls that register a lead or act on one, keeping the list current.
 * Registering and acting reject with an `ApiError` (the form shows its message).
 */
export class LeadBook {
  /** Status shown, or empty for all. */
  status = $state<LeadStatus | ''>('');
  /** Leads, newest first; `null` until loaded. */
  items = $state.raw<Lead[] | null>(null);

  #controller: AbortController | null = null;

  /** (Re)loads the leads of {@link status}; a failed load keeps the last list. */
  load(): void {
    this.stop();
    const controller = new AbortController();
    this.#controller = controller;
    leadsApi.list(this.status, controller.signal).then(
      (list) => (this.items = list),
      () => undefined,
    );
  }

  /** Cancels a pending load. */
  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
  }

  /** Shows another status. */
  show(status: LeadStatus | ''): void {
    this.status = status;
    this.load();
  }

  /** Registers a lead; it joins the list when the list shows pending leads. */
  async register(registration: LeadRegistration): Promise<Lead> {
    const lead = await leadsApi.register(registration);
    toasts.show(i18n.t('leads.registered', { id: lead.id }), 'info');
    if (this.status === '' || this.status === 'pending') this.items = [lead, ...(this.items ?? [])];
    return lead;
  }

  /** Verifies a lead (optional note). */
  async verify(lead: Lead, note: string): Promise<Lead> {
    return this.#replace(await leadsApi.verify(lead, note));
  }

  /** Dismisses a lead with a reason. */
  async dismiss(lead: Lead, reason: string): Promise<Lead> {
    return this.#replace(await leadsApi.dismiss(lead, reason));
  }

  /** Converts a lead into a hazard or dispute; resolves with the new case. */
  async convert(lead: Lead, conversion: LeadConversion): Promise<{ kind: CaseKind; id: number }> {
    const answer = await leadsApi.convert(lead, conversion);
    this.#replace(answer.lead);
    toasts.show(i18n.t('leads.converted', { kind: kindLabel(conversion.kind), id: answer.case.id }), 'info');
    return { kind: conversion.kind, id: answer.case.id };
  }

  #replace(lead: Lead): Lead {
    this.items = (this.items ?? []).map((candidate) => (candidate.id === lead.id ? lead : candidate));
    return lead;
  }
}
