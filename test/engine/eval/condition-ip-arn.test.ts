/**
 * IP address and ARN condition operators, per AWS "IAM JSON policy elements: Condition operators".
 */
import { ipInRange, parseIpAddress, parseIpRange } from '../../../src/engine/eval/ip-address';
import { clause, contextOf, result, unknown } from './request-context-fixture';

const v4 = contextOf({ 'aws:SourceIp': '203.0.113.1' });
const v6 = contextOf({ 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' });

describe('IpAddress / NotIpAddress', () => {
  it('"203.0.113.0/24": 203.0.113.1 matches, 198.51.100.1 does not (the docs table)', () => {
    expect(result('IpAddress', 'aws:SourceIp', '203.0.113.0/24', v4)).toBe(true);
    expect(result('IpAddress', 'aws:SourceIp', '203.0.113.0/24', contextOf({ 'aws:SourceIp': '198.51.100.1' }))).toBe(
      false,
    );
  });

  it('"without the associated routing prefix, IAM uses the default prefix value of /32"', () => {
    expect(result('IpAddress', 'aws:SourceIp', '203.0.113.1', v4)).toBe(true);
    expect(result('IpAddress', 'aws:SourceIp', '203.0.113.2', v4)).toBe(false);
  });

  it('IPv6 ranges in CIDR form, "using :: to represent a range of 0s", case-insensitive hex', () => {
    expect(result('IpAddress', 'aws:SourceIp', '2001:DB8:1234:5678::/64', v6)).toBe(true);
    expect(result('IpAddress', 'aws:SourceIp', '2001:DB8:1234:5679::/64', v6)).toBe(false);
    expect(result('IpAddress', 'aws:SourceIp', '2001:db8:1234:5678:abcd:0:0:1', v6)).toBe(true);
    expect(result('IpAddress', 'aws:SourceIp', '::/0', v6)).toBe(true);
  });

  it('mixes IPv4 and IPv6 ranges in one condition (OR over values)', () => {
    const ranges = ['203.0.113.0/24', '2001:DB8:1234:5678::/64'];
    expect(result('IpAddress', 'aws:SourceIp', ranges, v4)).toBe(true);
    expect(result('IpAddress', 'aws:SourceIp', ranges, v6)).toBe(true);
  });

  it('a request address of the other family never matches', () => {
    expect(result('IpAddress', 'aws:SourceIp', '0.0.0.0/0', v6)).toBe(false);
    expect(result('IpAddress', 'aws:SourceIp', '::/0', v4)).toBe(false);
    expect(result('IpAddress', 'aws:SourceIp', '::ffff:203.0.113.0/120', v4)).toBe(false);
  });

  it('invalid forms do not match (policy or request side)', () => {
    expect(result('IpAddress', 'aws:SourceIp', '203.0.113.0/33', v4)).toBe(false);
    expect(result('IpAddress', 'aws:SourceIp', '203.0.113.256', v4)).toBe(false);
    expect(result('IpAddress', 'aws:SourceIp', '203.0.113.*', v4)).toBe(false);
    expect(result('IpAddress', 'aws:SourceIp', '0.0.0.0/0', contextOf({ 'aws:SourceIp': 'ec2.amazonaws.com' }))).toBe(
      false,
    );
  });

  it('NotIpAddress: "All IP addresses except the specified IP address or range" (NOR over values)', () => {
    expect(result('NotIpAddress', 'aws:SourceIp', ['198.51.100.0/24', '192.0.2.0/24'], v4)).toBe(true);
    expect(result('NotIpAddress', 'aws:SourceIp', ['198.51.100.0/24', '203.0.113.0/24'], v4)).toBe(false);
  });

  it('absent aws:SourceIp (VPC endpoint request): IpAddress false, NotIpAddress true, IfExists true', () => {
    const none = contextOf({});
    expect(result('IpAddress', 'aws:SourceIp', '203.0.113.0/24', none)).toBe(false);
    expect(result('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', none)).toBe(true);
    expect(result('IpAddressIfExists', 'aws:SourceIp', '203.0.113.0/24', none)).toBe(true);
  });

  it('unknown aws:SourceIp stays unknown for both the positive and the negated operator', () => {
    const unsure = contextOf({ 'aws:SourceIp': unknown('AWS service call: source IP is a service name') });
    expect(result('IpAddress', 'aws:SourceIp', '203.0.113.0/24', unsure)).toBe('unknown');
    expect(result('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', unsure)).toBe('unknown');
  });
});

describe('ip-address helpers', () => {
  it('parses embedded IPv4 tails and rejects malformed IPv6', () => {
    expect(parseIpAddress('::ffff:192.0.2.1')?.bytes).toEqual(
      new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]),
    );
    expect(parseIpAddress('1::2::3')).toBeNull();
    expect(parseIpAddress('1:2:3:4:5:6:7')).toBeNull();
    expect(parseIpAddress('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIpAddress('1.2.3.4::')).toBeNull();
  });

  it('ignores host bits inside the policy range and handles non-octet prefixes', () => {
    const range = parseIpRange('10.1.2.3/12');
    expect(range && ipInRange(parseIpAddress('10.15.255.255')!, range)).toBe(true);
    expect(range && ipInRange(parseIpAddress('10.16.0.0')!, range)).toBe(false);
  });
});

const arns = contextOf({
  'aws:SourceArn': 'arn:aws:sns:us-west-2:123456789012:TOPIC-ID',
  'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/team/deployer',
  's3:object': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt',
  'aws:username': 'alice',
  'custom:notAnArn': 'just-a-name',
});

describe('ArnEquals / ArnLike / ArnNotEquals / ArnNotLike', () => {
  it('ArnEquals: same ARN matches, another account does not (the docs table)', () => {
    expect(result('ArnEquals', 'aws:SourceArn', 'arn:aws:sns:us-west-2:123456789012:TOPIC-ID', arns)).toBe(true);
    expect(result('ArnEquals', 'aws:SourceArn', 'arn:aws:sns:us-west-2:777788889999:TOPIC-ID', arns)).toBe(false);
  });

  it('"Each of the six colon-delimited components … can include * or ?"', () => {
    expect(result('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*:123456789012:*', arns)).toBe(true);
    expect(result('ArnLike', 'aws:SourceArn', 'arn:aws:sns:us-west-?:123456789012:TOPIC-*', arns)).toBe(true);
    expect(result('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/*', arns)).toBe(true);
    expect(result('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/*', arns)).toBe(false);
  });

  it("a wildcard does not cross a component: the docs' finance/* example fails with ArnLike, passes with StringLike", () => {
    const pattern = 'arn:aws:someservice:*:111122223333:finance/*';
    expect(result('ArnLike', 's3:object', pattern, arns)).toBe(false);
    expect(result('StringLike', 's3:object', pattern, arns)).toBe(true);
  });

  it('the resource component keeps its colons and a * there spans them', () => {
    expect(result('ArnLike', 's3:object', 'arn:aws:someservice:us-east-2:999999999999:store/*', arns)).toBe(true);
    expect(
      result('ArnEquals', 's3:object', 'arn:aws:someservice:*:*:store/abc:111122223333:finance/document.txt', arns),
    ).toBe(true);
    expect(result('ArnLike', 's3:object', 'arn:aws:someservice:us-east-2:999999999999:store/abc:2*', arns)).toBe(false);
  });

  it('"Case-sensitive matching of the ARN"', () => {
    expect(result('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Team/*', arns)).toBe(false);
  });

  it('"ArnEquals and ArnLike … behave identically" (both take wildcards)', () => {
    expect(result('ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::123456789012:role/team/*', arns)).toBe(true);
  });

  it('negated ARN operators NOR over values; absent key true', () => {
    const allowed = ['arn:aws:iam::123456789012:role/admin', 'arn:aws:iam::123456789012:role/team/*'];
    expect(result('ArnNotLike', 'aws:PrincipalArn', allowed, arns)).toBe(false);
    expect(result('ArnNotEquals', 'aws:PrincipalArn', 'arn:aws:iam::123456789012:role/admin', arns)).toBe(true);
    expect(result('ArnNotLike', 'aws:SourceAccountArn', 'arn:aws:iam::*:role/*', arns)).toBe(true);
    expect(result('ArnLike', 'aws:SourceAccountArn', 'arn:aws:iam::*:role/*', arns)).toBe(false);
  });

  it('a request value that is not an ARN does not match a six-component pattern', () => {
    expect(result('ArnLike', 'custom:notAnArn', 'arn:*:*:*:*:*', arns)).toBe(false);
  });

  it('a bare * matches any value (docs silent on short patterns: whole-string wildcard)', () => {
    expect(result('ArnLike', 'aws:SourceArn', '*', arns)).toBe(true);
  });

  it('substitutes policy variables ("You can use a policy variable with the ARN condition operator")', () => {
    const c = clause(
      'ArnLike',
      'aws:PrincipalArn',
      'arn:aws:iam::123456789012:role/team/${aws:username}*',
      contextOf({
        'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/team/alice-admin',
        'aws:username': 'alice',
      }),
    );
    expect(c.result).toBe(true);
    expect(c.expected).toEqual(['arn:aws:iam::123456789012:role/team/alice*']);
  });
});
