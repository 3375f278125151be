import {
  checkCidr,
  checkDnsSubdomain,
  checkIntRange,
  checkLabelValue,
} from '../../../constructs/private/validate';

describe('checkCidr', () => {
  test.each([
    '10.0.0.0/8',
    '10.40.0.12/32',
    '192.168.1.0/24',
    'fd00:10::/64',
    '2001:db8::1/128',
    '::ffff:10.0.0.0/104',
  ])('accepts %s', (c) => expect(checkCidr('x', c)).toBeUndefined());

  test.each(['0.0.0.0/0', '::/0', '10.0.0.0/0'])('fails when %s opens every address', (c) => {
    expect(checkCidr('x', c)?.message).toContain('opens every address');
  });

  test.each([
    '10.0.0.0',
    '10.0.0.256/8',
    '10.0.0.0/33',
    'fd00::/129',
    'fd00:::1/64',
    'example.com/24',
    '1:2:3:4:5:6:7:8:9/64',
  ])('fails when %s is not a CIDR', (c) =>
    expect(checkCidr('net.cidr', c)?.message).toBe(
      `"${c}" is not a CIDR: use an IPv4 or IPv6 address with a prefix length, e.g. 10.20.0.0/16 or fd00:10::/64`,
    ),
  );
});

describe('name and value checks', () => {
  test('label values', () => {
    expect(checkLabelValue('p', 'NVIDIA-H100-80GB-HBM3')).toBeUndefined();
    expect(checkLabelValue('p', '')).toBeUndefined();
    expect(checkLabelValue('p', '-x')?.message).toContain('is not a valid label value');
    expect(checkLabelValue('p', 'a'.repeat(64))?.message).toContain('is not a valid label value');
  });

  test('DNS subdomains (node names)', () => {
    expect(checkDnsSubdomain('n', 'gpu-01.rack-2.dc')).toBeUndefined();
    expect(checkDnsSubdomain('n', 'gpu..01')?.message).toContain('is not a valid name');
    expect(checkDnsSubdomain('n', 'GPU')?.message).toContain('is not a valid name');
  });

  test('integer ranges', () => {
    expect(checkIntRange('n', 3, 1, 3)).toBeUndefined();
    expect(checkIntRange('n', 1.5, 1, 3)?.message).toBe('1.5 is not allowed: use a whole number from 1 to 3');
  });
});
