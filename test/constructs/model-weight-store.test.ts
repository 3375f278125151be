import { TerraformStack, Testing } from 'cdktf';
import { isSovereignError } from '../../core/errors';
import { ModelWeightStore, type ModelWeightStoreProps } from '../../constructs/model-weight-store';

function setup(overrides: Partial<ModelWeightStoreProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'de');
  const store = new ModelWeightStore(stack, 'store', {
    namespace: 'llm',
    jurisdiction: 'de',
    storageClassName: 'cephfs.de-fra',
    sizeGiB: 800,
    ...overrides,
  });
  return { stack, store };
}

describe('ModelWeightStore', () => {
  test('a ReadWriteMany claim on the declared StorageClass, not waiting to bind', () => {
    const { stack, store } = setup();
    const parsed = JSON.parse(Testing.synth(stack));
    const claims = Object.values(parsed.resource.kubernetes_persistent_volume_claim_v1);
    expect(claims).toHaveLength(1);
    expect(claims[0]).toEqual({
      metadata: {
        name: 'model-weights',
        namespace: 'llm',
        labels: {
          'app.kubernetes.io/component': 'weights-store',
          'app.kubernetes.io/instance': 'model-weights',
          'app.kubernetes.io/managed-by': 'sovereign-stack',
          'app.kubernetes.io/name': 'model-weight-store',
          'app.kubernetes.io/part-of': 'sovereign-stack',
          'sovereign-stack.io/jurisdiction': 'de',
        },
      },
      spec: {
        access_modes: ['ReadWriteMany'],
        storage_class_name: 'cephfs.de-fra',
        resources: { requests: { storage: '800Gi' } },
      },
      wait_until_bound: false,
    });
    expect(store.rootPath).toBe('models');
    expect(store.accessMode).toBe('ReadWriteMany');
  });

  test('claim name, access mode, root path and binding wait can be set', () => {
    const { stack, store } = setup({
      claimName: 'weights-edge',
      accessMode: 'ReadWriteOnce',
      rootPath: 'llm/models',
      waitUntilBound: true,
    });
    const claim = Object.values(
      JSON.parse(Testing.synth(stack)).resource.kubernetes_persistent_volume_claim_v1,
    )[0] as {
      spec: { access_modes: string[] };
      wait_until_bound: boolean;
    };
    expect(claim.spec.access_modes).toEqual(['ReadWriteOnce']);
    expect(claim.wait_until_bound).toBe(true);
    expect(store.claimName).toBe('weights-edge');
    expect(store.rootPath).toBe('llm/models');
  });

  test('fails when the storage class, size, names, access mode or root path are unusable', () => {
    let caught: unknown;
    try {
      setup({
        storageClassName: '',
        sizeGiB: 0,
        namespace: 'LLM',
        accessMode: 'ReadOnlyMany' as never,
        rootPath: '../outside',
      });
    } catch (e) {
      caught = e;
    }
    expect(isSovereignError(caught)).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain('ModelWeightStore store: 5 invalid props');
    expect(message).toContain('storageClassName  "" is not a valid name');
    expect(message).toContain('sizeGiB  0 is not allowed');
    expect(message).toContain('namespace  "LLM" is not a valid name');
    expect(message).toContain('accessMode  "ReadOnlyMany" is not allowed');
    expect(message).toContain('rootPath  "../outside" escapes the model directory with \'..\'');
  });
});
