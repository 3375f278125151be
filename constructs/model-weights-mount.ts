/** How a server mounts verified weights: the read-only volume and mount for any IModelWeights. */
import type { IModelWeights } from './interfaces';

/** What a server adds to its pod to read verified weights. */
export interface ModelWeightsMount {
  /** Pod volume: the claim, read-only. */
  readonly volume: {
    readonly name: string;
    readonly persistentVolumeClaim: { readonly claimName: string; readonly readOnly: true };
  };
  /** Container mount of the model directory only (`subPath`), read-only. */
  readonly volumeMount: {
    readonly name: string;
    readonly mountPath: string;
    readonly subPath: string;
    readonly readOnly: true;
  };
  /** What the engine loads: the directory, or the file inside it for a single-file model. */
  readonly modelPath: string;
}

/**
 * The read-only volume and mount a server uses for any IModelWeights; the shapes match the
 * provider bindings' `volume` and `volume_mount` blocks. The server must also list
 * `weights.verification` in its `dependsOn`.
 */
export function modelWeightsMount(
  weights: IModelWeights,
  options: { readonly volumeName?: string; readonly mountPath?: string } = {},
): ModelWeightsMount {
  const name = options.volumeName ?? 'weights';
  const mountPath = options.mountPath ?? `/models/${weights.modelName}`;
  return {
    volume: { name, persistentVolumeClaim: { claimName: weights.claimName, readOnly: true } },
    volumeMount: { name, mountPath, subPath: weights.subPath, readOnly: true },
    modelPath: weights.fileName ? `${mountPath}/${weights.fileName}` : mountPath,
  };
}
