/**
 * Conformance classes of OGC API – Features – Part 3 (1.0) and CQL2 (1.0) this
 * service passes, each covered by tests/unit/cql2.test.ts and
 * tests/api/ogc-filter.test.ts. Not declared: `spatial-functions` and
 * `temporal-functions` (only S_INTERSECTS and T_INTERSECTS are implemented),
 * `case-insensitive-comparison`, `accent-insensitive-comparison`, `functions`,
 * `arithmetic`, `property-property` (it works for same-typed properties but is
 * not tested as a class), `array-operators`, and `queryables-query-parameters`
 * (queryables are not accepted as plain query parameters).
 */
export const FILTER_CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  // S_INTERSECTS takes every WKT/GeoJSON geometry type, not only points and BBOX.
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus',
]
