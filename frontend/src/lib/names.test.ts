import { describe, expect, it } from 'vitest';
import { connectedLink, contact } from '../testing/fakeGo';
import { cleanName, nameProblem, renameFailure, sortName, unnamed } from './names';

describe('contact names', () => {
  it('cleans, checks and falls back like the phone', () => {
    expect(cleanName(' Anna\tMaria ', '\u0007Example ')).toEqual({ firstName: 'Anna Maria', lastName: 'Example' });
    expect(nameProblem({ firstName: 'x'.repeat(256), lastName: 'ü'.repeat(128) })).toBeUndefined();
    expect(nameProblem({ firstName: '', lastName: 'ü'.repeat(129) })).toBe('contacts.nameTooLong');
    expect(unnamed(contact({ id: 'BOB00001', nickname: 'Bob' }))).toBe('~Bob');
    expect(unnamed(contact({ id: 'BOB00001', nickname: 'BOB00001' }))).toBe('BOB00001');
    expect(unnamed(contact({ id: 'BOB00001' }))).toBe('BOB00001');
    expect(sortName(contact({ id: 'BOB00001', name: '~Bob' }))).toBe('Bob');
    expect(renameFailure(connectedLink)).toBe('contacts.renameFailed');
    expect(renameFailure({ ...connectedLink, state: 'connecting' })).toBe('contacts.renameOffline');
  });
});
