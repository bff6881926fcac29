import { addressGroup } from '../../src/address-group';

describe('addressGroup', () => {
  it('keeps an IPv4 address, and unwraps an IPv4-mapped IPv6 one', () => {
    expect(addressGroup('192.0.2.1')).toBe('192.0.2.1');
    expect(addressGroup('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('groups IPv6 addresses by their /64', () => {
    expect(addressGroup('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8:1:2::1')).toBe(addressGroup('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(addressGroup('2001:db8:1:3::1')).not.toBe(addressGroup('2001:db8:1:2::1'));
    expect(addressGroup('::1')).toBe('::/64');
    expect(addressGroup('fe80::1%eth0')).toBe('fe80::/64');
  });

  it('keeps anything that is not an address as it is', () => {
    expect(addressGroup(undefined)).toBe('unknown');
    expect(addressGroup('not-an-ip')).toBe('not-an-ip');
  });
});
