/**
 * PostGIS SQL of GridAtlas: small helpers returning Kysely `RawBuilder`s, each
 * saying in its doc comment the SQL it emits. Repositories build spatial SQL
 * from these; only one-off spatial SQL (clustering, topology checks) stays
 * inline in its repository.
 */
export { GEOJSON_DIGITS, asGeoJson, geomFromGeoJson, multiFromGeoJson, featureText, collectionBody, type GeometryExpression } from './geojson.ts'
export { METRIC_SRID, LON_LAT_SRID, WEB_MERCATOR_SRID, toMetric, toWebMercator, toLonLat, withSrid, toCrs, fromCrs, asBareGeoJson } from './crs.ts'
export { makeEnvelope, intersectsEnvelope, intersectsBbox, tileEnvelope, extentBounds, type Bbox, type ExtentBounds, type TileAddress } from './envelope.ts'
export { pointFromLonLat, pointX, pointY } from './point.ts'
export { MVT_EXTENT, MVT_BUFFER, encodeMvt, encodeTile, mvtEncoderFor, type MvtEncoder, type MvtLayer } from './mvt.ts'
