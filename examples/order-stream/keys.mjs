// The keys the example uses: one {orders} hash tag, so the stream and the processed-orders hash
// live on the same shard and a worker can commit both in one MULTI.
export const STREAM = '{orders}:stream';
export const GROUP = 'fulfilment';
export const PROCESSED = '{orders}:processed';
