import { describe, expect, it } from 'vitest';
import { nginxComment, nginxHostname, nginxPath, nginxValue } from '../../../src/escape/nginx.js';
import { MokoError } from '../../../src/core/errors.js';

describe('nginx escaper', () => {
  it('leaves plain paths and words as they are', () => {
    expect(nginxValue('/var/www/acme/current/htdocs')).toBe('/var/www/acme/current/htdocs');
    expect(nginxValue('unix:/run/php/x.sock')).toBe('unix:/run/php/x.sock');
  });
  it('double-quotes anything else, escaping quote and backslash, so ; { } # stay inside one word', () => {
    expect(nginxValue('/a b; location / { root /; } #')).toBe('"/a b; location / { root /; } #"');
    expect(nginxValue('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(nginxValue("it's")).toBe('"it\'s"');
  });
  it('throws an input error for what cannot be escaped: newline, NUL, $, a leading ~, empty', () => {
    for (const bad of ['/a\nb', '/a\0b', '/a$uri', '~^/etc', '', '/a\u2028b'])
      expect(() => nginxValue(bad, 'target.root')).toThrow(MokoError);
    expect(() => nginxValue('/a\nb', 'target.root')).toThrow(/target.root cannot be written into nginx/);
  });
  it('accepts only host names as server_name', () => {
    expect(nginxHostname('crm.acme.test')).toBe('crm.acme.test');
    for (const bad of ['*.acme.test', '~^x', 'a;b', 'a b', '"x"', '-a'])
      expect(() => nginxHostname(bad)).toThrow(MokoError);
  });
  it('keeps a comment on one line', () => {
    expect(nginxComment('site for x')).toBe('# site for x');
    expect(() => nginxComment('x\nserver { }')).toThrow(MokoError);
  });
  it('paths: absolute, without a .. segment (a relative one would be read from the nginx prefix)', () => {
    expect(nginxPath('/etc/ssl/a b.pem')).toBe('"/etc/ssl/a b.pem"');
    for (const bad of ['etc/ssl/a.pem', '-/x', '/var/www/../../etc'])
      expect(() => nginxPath(bad)).toThrow(MokoError);
  });
});
