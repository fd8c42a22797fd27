import { describe, expect, it } from 'vitest';
import { sshdListening, sshdStartOptions } from '../../../src/checks/ssh-config.js';

/** Issue 25: `validate` asks `sshd -T` with the options of the sshd that listens on the plan's port. */
describe('the sshd on the plan port', () => {
  const ss = [
    'LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=812,fd=3))',
    'LISTEN 0 128 127.0.0.1:2222 0.0.0.0:* users:(("sshd",pid=9001,fd=3))',
    'LISTEN 0 80 127.0.0.1:3306 0.0.0.0:* users:(("mariadbd",pid=77,fd=21))',
  ].join('\n');

  it('finds its pid by port, not any sshd', () => {
    expect(sshdListening(ss, 2222)).toBe(9001);
    expect(sshdListening(ss, 22)).toBe(812);
    expect(sshdListening(ss, 3306)).toBeUndefined();
  });

  it('reads -f and -o from its command line, raw or as the title sshd gives itself', () => {
    expect(sshdStartOptions('/usr/sbin/sshd\0-D\0-f\0/etc/alt/sshd_config\0-oPort=2222\0')).toEqual([
      '-f',
      '/etc/alt/sshd_config',
      '-o',
      'Port=2222',
    ]);
    expect(
      sshdStartOptions('sshd: /usr/sbin/sshd -D -e -f /tmp/x/sshd_config [listener] 0 of 100-200 startups\0'),
    ).toEqual(['-f', '/tmp/x/sshd_config']);
    expect(sshdStartOptions('sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups')).toEqual([]);
  });
});
