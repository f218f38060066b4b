import { findSecretKeys } from './has-no-secrets.decorator';

describe('findSecretKeys', () => {
  it('finds credential-looking keys at any depth', () => {
    expect(findSecretKeys({ exchange: 'binance', apiKey: 'x', nested: { new_password: 'y', list: [{ refreshToken: 'z' }] } })).toEqual([
      'apiKey',
      'nested.new_password',
      'nested.list.0.refreshToken',
    ]);
  });

  it('passes ordinary details', () => {
    expect(findSecretKeys({ exchange: 'binance', label: 'main', ip: '10.0.0.1' })).toEqual([]);
  });
});
