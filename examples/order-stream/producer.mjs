// The producer: appends orders to the stream. Each order carries everything a worker needs, so
// processing it twice would be detectable (and is prevented by the worker's idempotent commit).

/** Appends `count` orders; resolves with what was produced (id → order), for the final check. */
export async function produceOrders(client, stream, count) {
  const produced = new Map();
  for (let i = 1; i <= count; i++) {
    const order = { orderId: `o${i}`, customer: `c${i % 7}`, amountCents: String(100 + ((i * 7919) % 5000)) };
    const id = await client.xadd(stream, '*', order);
    produced.set(order.orderId, { ...order, id });
  }
  return produced;
}
