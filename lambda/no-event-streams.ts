/**
 * Stands in for @smithy/core/event-streams in the Lambda bundle only (an esbuild alias in
 * lib/denied-assume-role-monitor.ts). The SDK's HTTP protocols load that module, on demand, only for operations
 * with an event-stream input or output; none of the clients the function uses (DynamoDB, SNS, IAM, STS,
 * Organizations) has one. Bundled, its codec and marshallers were 20 KB that every cold start compiled, and leaving
 * them out made require + first event about 10 ms cheaper (docs/lambda-start.md). Should a future client need event
 * streams, the first such call fails with this error instead of misbehaving.
 */
const NOT_BUNDLED =
  '@smithy/core/event-streams is not in the Lambda bundle (lambda/no-event-streams.ts): drop its esbuild alias';

/** The two names HttpProtocol.loadEventStreamCapability takes from the module. */
export class EventStreamSerde {
  constructor() {
    throw new Error(NOT_BUNDLED);
  }
}

export function eventStreamSerdeProvider(): never {
  throw new Error(NOT_BUNDLED);
}
