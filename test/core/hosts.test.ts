import {
  cidrWithin,
  endpointsIn,
  hostAllowed,
  isInternalHost,
  normalizeHost,
  parseCidr,
  publicServiceOf,
  publicSpace,
  wildcardAtPublicSuffix,
} from '../../core/hosts';

describe('hosts', () => {
  test('finds URLs of any scheme and bare host:port, skipping image references', () => {
    expect(
      endpointsIn('s3://models.s3.de.example/llama and https://user:pw@api.de.example:6443/x').map((e) => [
        e.host,
        e.port,
      ]),
    ).toEqual([
      ['models.s3.de.example', undefined],
      ['api.de.example', 6443],
    ]);
    expect(endpointsIn('collector.example.net:4317').map((e) => e.host)).toEqual(['collector.example.net']);
    expect(endpointsIn(`registry.de.example:5000/vllm@sha256:${'a'.repeat(64)}`)).toEqual([]);
    expect(endpointsIn('http://[fd00::1]:8080/').map((e) => e.host)).toEqual(['fd00::1']);
    expect(endpointsIn('https://${var.host}/x')[0].unresolved).toBe(true);
  });
  test('matches exact names and *.suffix wildcards, never look-alikes', () => {
    expect(hostAllowed('s3.de.example', undefined, ['*.de.example'])).toBe(true);
    expect(hostAllowed('de.example', undefined, ['*.de.example'])).toBe(false);
    expect(hostAllowed('evil-de.example', undefined, ['*.de.example'])).toBe(false);
    expect(hostAllowed('registry.de.example', 5000, ['registry.de.example:5000'])).toBe(true);
    expect(hostAllowed('registry.de.example', 443, ['registry.de.example:5000'])).toBe(false);
  });
  test('CIDR containment for IPv4 and IPv6', () => {
    expect(cidrWithin('10.20.5.0/24', ['10.20.0.0/16'])).toBe(true);
    expect(cidrWithin('10.0.0.0/8', ['10.20.0.0/16'])).toBe(false);
    expect(cidrWithin('10.20.0.7', ['10.20.0.0/16'])).toBe(true);
    expect(cidrWithin('fd00:1::/64', ['fd00::/16'])).toBe(true);
    expect(cidrWithin('2001:db8::/32', ['fd00::/16'])).toBe(false);
    expect(parseCidr('::/0')?.prefix).toBe(0);
    expect(parseCidr('300.0.0.0/8')).toBeUndefined();
  });
  test('in-cluster names are internal', () => {
    expect(
      ['vllm-llama.llm.svc', 'kubernetes.default.svc.cluster.local', 'localhost', 'vllm'].every(
        isInternalHost,
      ),
    ).toBe(true);
    expect(isInternalHost('huggingface.co')).toBe(false);
  });
});

describe('hosts as a resolver sees them (WHATWG URL host parsing)', () => {
  const hosts = (s: string) => endpointsIn(s).map((e) => e.host);
  test.each([
    ['http://134744072/', '8.8.8.8'],
    ['https://0x08080808/', '8.8.8.8'],
    ['https://0x8.0x8.0x8.0x8/', '8.8.8.8'],
    ['http://010.0.0.1/', '8.0.0.1'],
    ['https://huggingface。co/x', 'huggingface.co'],
    ['https://huggingface．co/x', 'huggingface.co'],
    ['https://ＨＵＧＧＩＮＧＦＡＣＥ.CO/x', 'huggingface.co'],
    ['https://bücher.example/', 'xn--bcher-kva.example'],
    ['https://user:pw@evil.example/', 'evil.example'],
    ['http://evil.example\\@good.de.example/', 'evil.example'],
    ['https://huggingface.co./x', 'huggingface.co'],
    ['evil.example.com:3128/', 'evil.example.com'],
    ['http_proxy=evil.example.com:3128', 'evil.example.com'],
    ['git@github.com:org/repo.git', 'github.com'],
    ['hf://meta-llama/Llama-3.1-8B', 'huggingface.co'],
    ['s3://bucket/key', 's3.amazonaws.com'],
    ['gs://bucket/key', 'storage.googleapis.com'],
  ])('%s names %s', (s, host) => expect(hosts(s)).toContain(host));
  test('userinfo is flagged; image references and local schemes are not endpoints', () => {
    expect(endpointsIn('https://u:p@h.de.example/')[0].userinfo).toBe(true);
    expect(endpointsIn(`registry.de.example:5000/vllm:v1@sha256:${'a'.repeat(64)}`)).toEqual([]);
    expect(endpointsIn('pvc://models/llama')).toEqual([]);
    expect(endpointsIn('file:///models')).toEqual([]);
  });
  test('normalizeHost and hostAllowed agree on look-alikes', () => {
    expect(normalizeHost('S3.DE.EXAMPLE')).toBe('s3.de.example');
    expect(hostAllowed('s3.de。example', undefined, ['*.de.example'])).toBe(true);
    expect(hostAllowed('huggingface。co', undefined, ['*.de.example'])).toBe(false);
  });
});

describe('boundaries one jurisdiction can own', () => {
  test('wildcards at or above a public suffix (Public Suffix List)', () => {
    expect(wildcardAtPublicSuffix('*.co')).toBe('co');
    expect(wildcardAtPublicSuffix('*.co.uk')).toBe('co.uk');
    expect(wildcardAtPublicSuffix('*.s3.amazonaws.com')).toBe('s3.amazonaws.com');
    expect(wildcardAtPublicSuffix('*')).toBe('*');
    expect(wildcardAtPublicSuffix('*.de.example')).toBeUndefined();
    expect(wildcardAtPublicSuffix('*.bund.de')).toBeUndefined();
    expect(wildcardAtPublicSuffix('registry.de.example')).toBeUndefined();
  });
  test('public services, by name, sub-domain or covering wildcard', () => {
    expect(publicServiceOf('registry-1.docker.io')).toBe('docker.io');
    expect(publicServiceOf('*.docker.io')).toBe('docker.io');
    expect(publicServiceOf('https://nvidia.github.io/gpu-operator')).toBe('nvidia.github.io');
    expect(publicServiceOf('oci://ghcr.io/org/charts')).toBe('ghcr.io');
    expect(publicServiceOf('my-bucket.s3.eu-central-1.amazonaws.com')).toBe('amazonaws.com');
    expect(publicServiceOf('registry.de.example')).toBeUndefined();
    expect(publicServiceOf('notdocker.io')).toBeUndefined();
  });
  test('public time services: the NTP pool and its zones, the big clouds, not lookalikes', () => {
    expect(publicServiceOf('pool.ntp.org')).toBe('ntp.org');
    expect(publicServiceOf('2.de.pool.ntp.org')).toBe('ntp.org');
    expect(publicServiceOf('*.ntp.org')).toBe('ntp.org');
    expect(publicServiceOf('TIME.GOOGLE.COM')).toBe('time.google.com');
    expect(publicServiceOf('time.cloudflare.com')).toBe('time.cloudflare.com');
    expect(publicServiceOf('ntp.org.de.example')).toBeUndefined();
    expect(publicServiceOf('mytime.google.com.de.example')).toBeUndefined();
  });
  test('range sets whose union covers public space', () => {
    expect(publicSpace(['0.0.0.0/1', '128.0.0.0/1']).tooWide).toBe(true);
    expect(publicSpace(['0.0.0.0/0']).tooWide).toBe(true);
    expect(publicSpace(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']).tooWide).toBe(
      false,
    );
    expect(publicSpace(['193.0.0.0/8']).tooWide).toBe(false);
    expect(publicSpace(['193.0.0.0/8', '194.0.0.0/8']).tooWide).toBe(true);
    expect(publicSpace(['2000::/3']).tooWide).toBe(true);
    expect(publicSpace(['2001:db8::/32', 'fd00::/8']).tooWide).toBe(false);
  });
});
