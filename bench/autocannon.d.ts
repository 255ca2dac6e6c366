/** The part of autocannon's API the load bench uses (the package ships no types). */
declare module 'autocannon' {
  interface AutocannonRequest {
    method?: string
    path: string
    headers?: Record<string, string>
    body?: string
  }
  interface AutocannonOptions {
    url: string
    connections?: number
    duration?: number
    workers?: number
    timeout?: number
    requests?: AutocannonRequest[]
    headers?: Record<string, string>
  }
  interface Histogram {
    average: number
    mean: number
    p50: number
    p99: number
    max: number
    total: number
  }
  interface AutocannonResult {
    requests: Histogram
    latency: Histogram
    errors: number
    timeouts: number
    non2xx: number
    duration: number
    '1xx': number
    '2xx': number
    '3xx': number
    '4xx': number
    '5xx': number
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>
  export default autocannon
}
