import { rule } from '../../../policy/rules/sov-014-metadata';
import { exampleStack, metadata } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-014 the stack declares its jurisdiction', () => {
  test('passes the example', () => expectExampleCompliant(rule));
  test('fails without metadata, with a wrong schema version, with an unknown pack', () => {
    const j = exampleStack();
    delete j['//'].sovereign;
    expect(failuresOn(rule, j)).toEqual([
      'stack "//".sovereign: "//".sovereign is missing: the stack does not declare its jurisdiction',
    ]);
    const k = exampleStack({ ...metadata(), schemaVersion: 2, packs: [{ id: 'hipaa', level: 'error' }] });
    expect(failuresOn(rule, k)).toEqual([
      'stack "//".sovereign: "//".sovereign.schemaVersion is 2, expected 1',
      'stack "//".sovereign.packs[0]: unknown pack hipaa (known: k8s-baseline, k8s-restricted, sovereignty, eu-gdpr, de-bsi-c5, fr-secnumcloud, licence)',
    ]);
  });
});
