import { describe, expect, it } from 'vitest';
import {
  apacheComment,
  apacheExprString,
  apacheHostname,
  apachePath,
  apacheSocketPath,
  apacheValue,
} from '../../../src/escape/apache.js';
import { MokoError } from '../../../src/core/errors.js';

describe('Apache escaper', () => {
  it('leaves plain values, quotes the rest with \\" and \\\\', () => {
    expect(apacheValue('/var/www/acme')).toBe('/var/www/acme');
    expect(apacheValue('/a b>')).toBe('"/a b>"');
    expect(apacheValue('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
  it('throws for a newline, NUL, ${ (a Define), a trailing backslash outside quotes, empty', () => {
    for (const bad of ['/a\nb', '/a\0b', '/a${X}', '', '/a\rb'])
      expect(() => apacheValue(bad)).toThrow(MokoError);
  });
  it('host names only for ServerName', () => {
    expect(apacheHostname('crm.acme.test')).toBe('crm.acme.test');
    for (const bad of ['a b', 'a>', 'a"', '-a', 'a\n']) expect(() => apacheHostname(bad)).toThrow(MokoError);
  });
  it('expression strings refuse quotes, backslash, $ and %', () => {
    expect(apacheExprString('/srv/x/maintenance.on')).toBe("'/srv/x/maintenance.on'");
    for (const bad of ["/a'b", '/a"b', '/a\\b', '/a%{X}', '/a$b', '/a\nb'])
      expect(() => apacheExprString(bad)).toThrow(MokoError);
  });
  it('a socket path holds no | (it would end the proxy URL) nor quotes', () => {
    expect(apacheSocketPath('/run/php/x.sock')).toBe('/run/php/x.sock');
    for (const bad of ['/a|fcgi://evil', '/a"b', 'rel/x', '/a\nb'])
      expect(() => apacheSocketPath(bad)).toThrow(MokoError);
  });
  it('comments: one line, no trailing backslash (a continuation)', () => {
    expect(apacheComment('x')).toBe('# x');
    expect(() => apacheComment('x\\')).toThrow(MokoError);
    expect(() => apacheComment('x\nListen 1')).toThrow(MokoError);
  });
  it('paths: absolute, without a .. segment', () => {
    expect(apachePath('/var/www/a b')).toBe('"/var/www/a b"');
    for (const bad of ['var/www', '/var/www/../etc']) expect(() => apachePath(bad)).toThrow(MokoError);
  });
});
