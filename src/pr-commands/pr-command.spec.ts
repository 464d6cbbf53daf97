import { describe, expect, it } from '@jest/globals';
import { commandOf, helpText } from './pr-command.js';

describe('commandOf', () => {
  it.each([
    ['/nectr review', 'review'],
    ['  /nectr   PAUSE  ', 'pause'],
    ['/nectr resume\r\nthanks', 'resume'],
    ['/nectr help', 'help'],
    ['/nectr', 'help'],
    ['/nectr deploy', 'unknown'],
    ['/nectr review please', 'review'],
    ['/nectr pause # flaky CI, back tomorrow', 'pause'],
    ['/nectr\tresume', 'resume'],
    ['/nectr:review', null],
    ['/nectrs review', null],
    ['please /nectr review', null],
    ['hello\n/nectr review', null],
  ])('%j → %s', (body, expected) => {
    expect(commandOf(body)).toBe(expected);
  });

  it('answers help with every command, and never with a line that is itself a command', () => {
    const text = helpText('/nectr deploy');
    for (const name of ['review', 'pause', 'resume', 'help']) expect(text).toContain(`/nectr ${name}`);
    expect(commandOf(text)).toBeNull();
  });

  it('quotes an unknown command as text: one code span, no HTML comment, no mention', () => {
    const text = helpText('/nectr x` @octo/admins <!-- nectr-finding fp=abc -->');
    expect(text).toContain('Nectr does not know ``/nectr x` @octo/admins <!\u200B-- nectr-finding fp=abc -->``.');
    expect(text).not.toContain('<!--');
  });
});
