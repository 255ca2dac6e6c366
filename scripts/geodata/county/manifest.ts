/** One town of the county sample as `geodata/county/county.json` lists it. */
export interface CountyTownEntry {
  /** Folder of the town's files, relative to `geodata/county/` (Xizhou's is `../xizhou`). */
  dir: string
  /** Prefix of the town's sample usernames (`<slug>-gridworker-01`). */
  slug: string
  code: string
  name: string
  nameEn: string
  population: number
  households: number
}

/** `geodata/county/county.json`: the county and its towns, in loading order. */
export interface CountyManifest {
  countyCode: string
  name: string
  nameEn: string
  seed: number
  towns: CountyTownEntry[]
}

/** Text of `geodata/county/README.md`. */
export function countyReadme(manifest: CountyManifest, countyKm2: number): string {
  const rows = manifest.towns.map((t) => `| ${t.code} | ${t.name} | ${t.nameEn} | \`${t.slug}\` | ${t.population} | ${t.households} |`)
  const population = manifest.towns.reduce((sum, t) => sum + t.population, 0)
  return `# Sample county: ${manifest.name}, synthetic

All data here is **synthetic**, made for demonstrating GridAtlas at county scale (\`SAMPLE_COUNTY=on\`). The towns
are named after the townships of Dali city, Yunnan (county code ${manifest.countyCode}) and lie roughly where those do
along the west shore of Erhai, but every boundary, count, name of a person and phone number is made up. Not an
official boundary. Xizhou is the sample township of \`geodata/xizhou\`, unchanged; the other towns are in the folders
named below.
Regenerate with \`npm run geodata:county\` (= \`npx tsx scripts/generate-county.ts\`, seed ${manifest.seed}; it reads
\`geodata/xizhou/town.geojson\`); the output is the same byte for byte on every run.

- \`county.geojson\`: the county outline (${countyKm2.toFixed(1)} km²), for checks; the database has no county area.
- \`county.json\`: the towns in loading order, with the folder of each.
- Each town folder: \`town.geojson\`, \`villages.geojson\`, \`base-grids.geojson\`, \`fine-grids.geojson\`,
  \`exempt.geojson\` (empty: no water) and \`staff.json\`, in the same format as \`geodata/xizhou\`.
- Towns tile the county: warped Voronoi cells of one seed per town, clipped to the county without Xizhou; where a
  border meets Xizhou it ends on one of Xizhou's own vertices. Villages tile their town, base grids their village,
  fine grids their base grid (Voronoi, numbered in reading order).
- Codes: ${manifest.countyCode} + township (镇 1xx, 乡 2xx) + village (2xx) + grid + fine grid. Staff keys \`s<township><serial>\`
  (Xizhou: \`s<serial>\`), phone numbers 138<township>0xxxx (Xizhou: 1380000xxxx), all fake.
- Total population ${population}.

| Code | Name | English | Username prefix | Population | Households |
|---|---|---|---|---|---|
${rows.join('\n')}
`
}
