import { fail, type Outcome, type StackRule } from '../types';

export const rule: StackRule = {
  id: 'SOV-006',
  title: 'Providers are installed from a registry host the jurisdiction allows',
  severity: 'critical',
  fix: 'Mirror the provider (terraform providers mirror / a private registry) and use a source address on an allowed host (`allowed.providerHosts`).',
  anchors: [
    'Terraform: Provider installation (network mirrors)',
    'BSI C5:2020 SSO (suppliers)',
    'SecNumCloud 3.2 §19',
  ],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const allowed = ctx.metadata.allowed.providerHosts.map((h) => h.toLowerCase());
    return ctx.stack.requiredProviders.map((p): Outcome => {
      const address = `terraform.required_providers.${p.name}`;
      const parts = (p.source ?? `hashicorp/${p.name}`).split('/');
      const host = (parts.length === 3 ? parts[0] : 'registry.terraform.io').toLowerCase();
      if (allowed.includes(host)) return { status: 'compliant', address, path: 'source' };
      return {
        ...fail(
          'source',
          `provider ${p.name} installs from ${host}, not an allowed provider host (${allowed.join(', ') || 'none declared'})`,
        ),
        address,
      };
    });
  },
};
