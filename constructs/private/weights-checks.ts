/** ModelWeights prop checks: revision, Secret and ConfigMap key names, bounded whole numbers. */
import { type Problem } from '../../core/errors';

export function checkRevision(revision: string): Problem | undefined {
  if (typeof revision !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(revision)) {
    return {
      path: 'revision',
      message: `"${revision}" is not a revision: use a commit hash or tag of letters, digits, '.', '_' and '-' (at most 128)`,
    };
  }
  return undefined;
}

/** A ConfigMap or Secret key. @see https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data */
/** A Secret or ConfigMap key (Kubernetes IsConfigMapKey): not `.`, not starting with `..`. */
export function checkKeyName(path: string, key: string): Problem | undefined {
  if (
    typeof key !== 'string' ||
    !/^[-._a-zA-Z0-9]{1,253}$/.test(key) ||
    key === '.' ||
    key.startsWith('..')
  ) {
    return {
      path,
      message: `"${key}" is not a key name: use letters, digits, '-', '_' and '.', not "." or a leading ".."`,
    };
  }
  return undefined;
}

export function checkWholeNumber(path: string, value: number, min: number, max: number): Problem | undefined {
  if (!Number.isInteger(value) || value < min || value > max) {
    return { path, message: `${value} is not allowed: use a whole number from ${min} to ${max}` };
  }
  return undefined;
}
