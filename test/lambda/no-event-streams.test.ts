import { EventStreamSerde, eventStreamSerdeProvider } from '../../lambda/no-event-streams';

/** The bundle's stand-in for @smithy/core/event-streams: any use fails loudly, naming the alias to drop. */
it('fails, naming the alias, when an event stream is serialized or parsed', () => {
  expect(() => new EventStreamSerde()).toThrow('lambda/no-event-streams.ts');
  expect(() => eventStreamSerdeProvider()).toThrow('drop its esbuild alias');
});
