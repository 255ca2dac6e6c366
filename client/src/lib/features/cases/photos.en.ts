import type { casePhotosZh } from './photos.zh';

/** English messages of case photos and phone reveals, merged into `en.ts`. */
export const casePhotosEn: Record<keyof typeof casePhotosZh, string> = {
  'photos.title': 'Photos',
  'photos.pick': 'Add photos',
  'photos.pickHint': 'Take a photo or choose from the gallery; JPEG, PNG or WebP, up to 10 MB each, at most {max}',
  'photos.count': '{count}/{max}',
  'photos.remove': 'Remove photo',
  'photos.none': 'No photos yet',
  'photos.open': 'Open photo {n}',
  'photos.uploading': 'Uploading photos…',
  'photos.uploaded': '{count} photo(s) uploaded',
  'photos.failed': 'The case is registered, but the photos failed to upload: {message}',
  'photos.tooLarge': '"{name}" is over 10 MB and was not added',
  'photos.tooMany': 'At most {max} photos',
  'photos.loadFailed': 'Could not load the photos',
  'action.add-photo': 'add photos',
  'phones.reveal': 'Show number',
  'phones.revealTitle': 'Show the full phone numbers (give a reason; kept in the audit log)',
  'phones.reason': 'Reason (at least 5 characters, kept in the audit log)',
  'phones.submit': 'Show',
  'phones.cancel': 'Cancel',
  'phones.short': 'Give a reason of at least 5 characters',
  'phones.masked': 'Number masked',
} as const;
