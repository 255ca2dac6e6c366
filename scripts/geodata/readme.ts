/** Figures quoted in the data README. */
export interface ReadmeFigures {
  seed: number
  townKm2: number
  landKm2: number
  population: number
  households: number
}

/** Text of `geodata/xizhou/README.md`. */
export function geodataReadme(f: ReadmeFigures): string {
  return `# Sample township: 喜洲镇 (Xizhou Town), synthetic

All data here is **synthetic**, made for demonstrating GridAtlas. It is modelled on Xizhou town (喜洲镇), Dali city, Yunnan (county code 532901): the village names are real, but every boundary, count, name of a person and phone number is made up. Not an official boundary.
Regenerate with \`npm run geodata\` (= \`npx tsx scripts/generate-geodata.ts\`, seed ${f.seed}); the output is the same byte for byte on every run.
- \`town.geojson\`: the town (code 532901101000), ${f.townKm2.toFixed(1)} km² including a strip of Erhai water; \`villages.geojson\`: 13 villages (${f.landKm2.toFixed(1)} km² of land), \`base-grids.geojson\`: base grids (基础网格), \`fine-grids.geojson\`: fine grids (精细网格; \`kind\` other than \`standard\` marks a dedicated grid 专属网格). Every geometry is a MultiPolygon in EPSG:4326, 7 decimals, RFC 7946 winding.
- \`exempt.geojson\`: water that the children of \`parentCode\` need not cover (the town's part of Erhai).
- \`basemap.geojson\`: offline basemap features by \`kind\`: \`lake\`, \`mountain\` (\`band\` 1–3), \`road\`, \`river\`, \`settlement\`.
- \`staff.json\`: village heads, grid leaders and grid workers with their duties; phone numbers 1380000xxxx are fake.
- Population ${f.population}, households ${f.households}; children's counts sum exactly to their parent's.
`
}
