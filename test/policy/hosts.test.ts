import { cidrWithin, endpointsIn, hostAllowed, isInternalHost, parseCidr } from '../../policy/hosts';

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
