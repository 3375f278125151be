/** Pack ids, kept apart from the packs so rules can name them without importing the packs. */
export const ALL_PACK_IDS: readonly string[] = [
  'k8s-baseline',
  'k8s-restricted',
  'sovereignty',
  'eu-gdpr',
  'de-bsi-c5',
  'fr-secnumcloud',
  'licence',
];
