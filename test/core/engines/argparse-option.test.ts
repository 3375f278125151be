import { argparseOption } from '../../../core/engines/flags';

const OPTIONS = [
  { name: 'master-addr', from: 'master-a'.length },
  { name: 'master-port', from: 'master-p'.length },
  { name: 'data-parallel-address', from: 'data-parallel-a'.length, aliases: ['-dpa'] },
];

describe('a long option as argparse reads it', () => {
  test('the whole name, with _ for -, and any prefix from the unambiguous length on', () => {
    for (const w of ['--master-addr', '--master_addr', '--master-a', '--master_ad'])
      expect(argparseOption(w, OPTIONS)?.name).toBe('master-addr');
    expect(argparseOption('--master-p', OPTIONS)?.name).toBe('master-port');
    expect(argparseOption('-dpa', OPTIONS)?.name).toBe('data-parallel-address');
  });
  test('no option for an ambiguous prefix, a longer word, a single dash or an alias written long', () => {
    for (const w of ['--master', '--master-addrs', '-master-addr', '--dpa', 'master-addr'])
      expect(argparseOption(w, OPTIONS)).toBe(undefined);
  });
});
