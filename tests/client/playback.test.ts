import { describe, expect, it } from 'vitest'
import { frameLabel, MAX_FRAMES, playbackFrames } from '../../client/src/lib/features/analytics/playback.svelte.ts'

describe('time playback frames (CST days)', () => {
  it('cuts a period into days, weeks (last one cut short) and calendar months', () => {
    const days = playbackFrames('2026-03-01', '2026-03-03', 'day')
    expect(days).toEqual([
      { from: '2026-02-28T16:00:00.000Z', to: '2026-03-01T16:00:00.000Z' },
      { from: '2026-03-01T16:00:00.000Z', to: '2026-03-02T16:00:00.000Z' },
      { from: '2026-03-02T16:00:00.000Z', to: '2026-03-03T16:00:00.000Z' },
    ])
    expect(days.map(frameLabel)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03'])
    const weeks = playbackFrames('2026-03-01', '2026-03-10', 'week')
    expect(weeks.map(frameLabel)).toEqual(['2026-03-01 – 2026-03-07', '2026-03-08 – 2026-03-10'])
    const months = playbackFrames('2026-01-31', '2026-04-15', 'month')
    expect(months.map(frameLabel)).toEqual(['2026-01-31', '2026-02-01 – 2026-02-28', '2026-03-01 – 2026-03-31', '2026-04-01 – 2026-04-15'])
  })

  it('answers no frames for an empty or invalid period and caps long ones', () => {
    expect(playbackFrames('2026-03-05', '2026-03-01', 'day')).toEqual([])
    expect(playbackFrames('not-a-date', '2026-03-01', 'day')).toEqual([])
    expect(playbackFrames('2020-01-01', '2026-01-01', 'day')).toHaveLength(MAX_FRAMES)
  })
})
