import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { samplePayloads } from '../__fixtures__/sample-payloads';
import { EventCatalog, type EventType } from '../catalog/event-catalog';
import { compilePayloadCheck } from './fast-payload-check';

const options = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };
const types = Object.keys(EventCatalog) as EventType[];

const oddValues = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, '', '0', '-0', '-1', '1.5', '1e3', 'abc', 42, 1.5, NaN, true, [], {}, 'BTC/USDT', 'binance'),
  fc.constantFrom<unknown>('2024-01-01T00:00:00Z', '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6d', 'long', 'buy', 'paper', 'HALTED', ['RISK_MAX_EXPOSURE'], ['NOPE']),
  fc.string(),
  fc.double(),
);

describe('compilePayloadCheck', () => {
  it('plans every payload class of the catalog', () => {
    for (const type of types) expect(compilePayloadCheck(EventCatalog[type].Payload)).not.toBeNull();
  });

  it('accepts every sample payload', () => {
    for (const type of types) {
      const payload = Object.assign(new EventCatalog[type].Payload(), samplePayloads[type]);
      expect(validateSync(payload, options)).toEqual([]);
      expect(compilePayloadCheck(EventCatalog[type].Payload)!(payload as never)).toBe(true);
    }
  });

  it('agrees with class-validator on mutated payloads of every type', () => {
    const mutation = fc.record({
      type: fc.constantFrom(...types),
      edits: fc.array(fc.tuple(fc.nat(), oddValues, fc.constantFrom('set', 'delete', 'extra')), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(mutation, ({ type, edits }) => {
        const sample: Record<string, unknown> = { ...samplePayloads[type] };
        const keys = Object.keys(sample);
        for (const [index, value, kind] of edits) {
          const key = keys[index % keys.length];
          if (kind === 'delete') delete sample[key];
          else if (kind === 'extra') sample[`${key}Extra`] = value;
          else sample[key] = value;
        }
        const payload = Object.assign(new EventCatalog[type].Payload(), sample);
        const classValidatorSaysValid = validateSync(payload, options).length === 0;
        expect(compilePayloadCheck(EventCatalog[type].Payload)!(payload as never)).toBe(classValidatorSaysValid);
      }),
      { numRuns: 3000 },
    );
  });
});
