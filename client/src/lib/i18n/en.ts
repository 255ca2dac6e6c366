import { casesEn } from '../features/cases/messages.en';
import { keyPersonsEn } from '../features/key-persons/messages.en';
import { leadsEn } from '../features/cases/leads.en';
import { analyticsEn } from '../features/analytics/messages.en';
import { editorEn } from '../features/boundaries/messages.en';
import { dashboardEn } from '../features/dashboard/messages.en';
import { reportEn } from '../features/report/messages.en';
import { boundaryIoEn } from '../features/boundaries/io.en';
import { casePhotosEn } from '../features/cases/photos.en';
import { auditEn } from '../features/audit/messages.en';
import { accountEn } from '../features/account/messages.en';
import { loginEn } from '../features/account/login.en';
import { countyEn } from '../features/county/messages.en';
import { ledgerImportEn } from '../features/ledger-import/messages.en';
import type { Dictionary } from './zh';

/**
 * English dictionary. Typed as {@link Dictionary}, so a missing or extra key
 * is a compile error.
 */
export const en: Dictionary = {
  ...casesEn,
  ...keyPersonsEn,
  ...leadsEn,
  ...analyticsEn,
  ...editorEn,
  ...dashboardEn,
  ...reportEn,
  ...boundaryIoEn,
  ...casePhotosEn,
  ...auditEn,
  ...accountEn,
  ...loginEn,
  ...ledgerImportEn,
  ...countyEn,
  'app.title': 'Grid Governance Map',
  'app.county': 'Whole county',
  'app.sample': 'Sample data',
  'app.sampleTooltip': 'Sample (synthetic) data is loaded: boundaries, people and figures are not real',
  'app.loading': 'Loading…',
  'lazy.loading': 'Loading this part of the app…',
  'lazy.failed': 'This part of the app failed to load: the network may be down, or the app was updated.',
  'lazy.reload': 'Reload the page',

  'mode.label': 'View',
  'mode.map': 'Map',
  'mode.dashboard': 'Dashboard',
  'mode.boundaries': 'Boundaries',

  'lang.label': 'Language',
  'lang.zh': '中文',
  'lang.en': 'English',

  'login.heading': 'Sign in',
  'login.subtitle': 'Township grid management · Comprehensive governance center',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.required': 'Enter your username and password',
  'login.notice': 'Internal system for authorised staff only. Actions are recorded in the audit log.',
  'login.tagline': 'Town · village · base grid · fine grid, on one map',

  'session.signOut': 'Sign out',
  'session.expired': 'Your session has ended, please sign in again',

  'role.leader': 'Town leadership',
  'role.dispatcher': 'Center dispatcher',
  'role.station': 'Station staff',
  'role.grid_worker': 'Grid worker',
  'role.admin': 'Administrator',

  'level.town': 'Town',
  'level.village': 'Village / community',
  'level.base_grid': 'Base grid',
  'level.fine_grid': 'Fine grid',

  'kind.school': 'Dedicated grid: school',
  'kind.market': 'Dedicated grid: market',
  'kind.scenic': 'Dedicated grid: scenic area',
  'kind.enterprise': 'Dedicated grid: enterprise',
  'kindShort.standard': 'Standard',
  'kindShort.school': 'School',
  'kindShort.market': 'Market',
  'kindShort.scenic': 'Scenic',
  'kindShort.enterprise': 'Enterprise',

  'layers.title': 'Layers',
  'layers.town': 'Town boundary',
  'layers.villages': 'Villages',
  'layers.baseGrids': 'Base grids',
  'layers.fineGrids': 'Fine grids',
  'layers.dedicated': 'Dedicated grids',
  'layers.zoomIn': 'Shown from zoom {zoom}',
  'layers.collapse': 'Collapse layer panel',
  'layers.expand': 'Expand layer panel',
  'layers.fitTown': 'Whole town',
  'timeTravel.label': 'Boundaries on',
  'timeTravel.hint': 'Pick a past date to see the town, village and grid boundaries in force at the end of that day (China time)',
  'timeTravel.past': 'Past boundaries',
  'timeTravel.pastTitle': 'The map shows the boundaries of {date}, not the current ones',
  'timeTravel.today': 'Back to today',

  'basemap.title': 'Basemap',
  'basemap.settings': 'Basemap settings',
  'basemap.offline': 'Offline basemap',
  'basemap.offlineHint': 'Built in, works without network',
  'basemap.osm': 'OpenStreetMap',
  'basemap.osmHint': 'Needs network · WGS84',
  'basemap.tianditu': 'Tianditu',
  'basemap.tiandituHint': 'Needs network and a key · CGCS2000',
  'basemap.datumNote': 'Tianditu uses CGCS2000, within centimetres of WGS84, so it aligns with the grid boundaries. Most Chinese commercial maps use the offset GCJ-02 system and would be several hundred metres off.',
  'basemap.onlineNote': 'Online basemaps request tiles from third-party servers and are off by default. The offline basemap ships with the system and works without network.',
  'basemap.tiandituKey': 'Tianditu key (tk)',
  'basemap.tiandituKeyPlaceholder': 'Browser key from the Tianditu developer portal',
  'basemap.saveKey': 'Save and use',
  'basemap.clearKey': 'Clear key',
  'basemap.keyRequired': 'Enter and save a Tianditu key first',
  'basemap.keySaved': 'The key is stored in this browser only',
  'basemap.close': 'Close',
  'basemap.tileError': 'Online basemap tiles failed to load: check the network or the Tianditu key',

  'panel.close': 'Close',
  'panel.expand': 'Expand details',
  'panel.collapse': 'Collapse details',
  'panel.code': 'Code',
  'panel.level': 'Level',
  'panel.parent': 'Parent area',
  'panel.leader': 'Grid leader',
  'panel.workers': 'Grid workers',
  'panel.leaderArea': 'Person in charge',
  'panel.workersArea': 'Staff',
  'panel.none': 'None assigned',
  'panel.households': 'Households',
  'panel.population': 'Population',
  'panel.version': 'Version',
  'panel.versionValue': 'Version {version}',
  'panel.validFrom': 'Valid from',
  'panel.changedBy': 'Changed by',
  'panel.changeReason': 'Reason',
  'panel.history': 'Version',
  'panel.staff': 'Grid staff',
  'panel.synthetic': "Sample data: this area's boundary, staff and figures are synthetic, for demonstration only.",
  'panel.loading': 'Loading area…',
  'panel.retry': 'Retry',
  'panel.error': 'Could not load the area',
  'panel.call': 'Call {phone}',
  'panel.selectParent': 'Select parent area: {name}',

  'map.longitude': 'Lon',
  'map.latitude': 'Lat',
  'map.zoom': 'Zoom',
  'map.loadingAreas': 'Loading grid data…',

  'toast.close': 'Dismiss',
  'error.network': 'Cannot reach the server. Check the network and try again',
  'error.status': 'Request failed ({status})',
};
