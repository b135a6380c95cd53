/**
 * Where each block of queries starts, then `total`: blocks of `blockSize`; but with worker threads
 * and at least four blocks per thread, once a block would start at or after
 * `total - workers x blockSize` the rest goes in half blocks, so that the threads finish closer
 * together (smaller blocks cost more per query: each pass over the gallery serves fewer queries).
 */
export function blockStarts(total: number, blockSize: number, workers: number): number[] {
  const starts: number[] = [];
  const split = workers > 0 && total >= 4 * workers * blockSize && blockSize > 1;
  const tail = split ? total - workers * blockSize : total;
  let start = 0;
  for (; start < tail; start += blockSize) starts.push(start);
  for (; start < total; start += Math.ceil(blockSize / 2)) starts.push(start);
  starts.push(total);
  return starts;
}
