/**
 * Detection, kind by kind: what each finder takes (formats of several countries) and what it
 * must leave alone (dates, times, versions, timestamps, order numbers, a card failing Luhn).
 * Each case tokenizes one text with every built-in kind on, in a fresh vault.
 */
import { describe, expect, it } from "vitest";
import { PRIVACY_KINDS } from "../../src/config/types.js";
import { detector } from "../../src/privacy/detect.js";
import { TokenVault } from "../../src/privacy/vault.js";

type Case = [title: string, { given: string; want: string }];

const all = detector({ kinds: PRIVACY_KINDS, patterns: [] });
const tokenized = (text: string) => new TokenVault().hider(all)(text);

const found: Case[] = [
  [
    "e-mail addresses, with subdomains, plus and dots",
    {
      given: "jane.doe@example.com, J.O+news@mail.example.co.uk; <ops-team@corp.example.org>.",
      want: "[EMAIL_1], [EMAIL_2]; <[EMAIL_3]>.",
    },
  ],
  [
    "phone numbers in international format, of several countries",
    {
      given:
        "UK +44 20 7946 0958, US +1 (415) 555-2671, FR +33 1 42 68 53 00, DE +49 30 901820, JP +81 3-1234-5678, IN +91 98765 43210, BR +55 11 91234-5678",
      want: "UK [PHONE_1], US [PHONE_2], FR [PHONE_3], DE [PHONE_4], JP [PHONE_5], IN [PHONE_6], BR [PHONE_7]",
    },
  ],
  [
    "payment card numbers of known issuers that pass Luhn, grouped or not",
    {
      given: "Visa 4111 1111 1111 1111, MC 5555-5555-5555-4444, Amex 378282246310005",
      want: "Visa [CARD_1], MC [CARD_2], Amex [CARD_3]",
    },
  ],
  [
    "IBANs, electronic and printed in groups",
    {
      given: "DE89 3704 0044 0532 0130 00 / GB82WEST12345698765432 / FR1420041010050500013M02606",
      want: "[IBAN_1] / [IBAN_2] / [IBAN_3]",
    },
  ],
  [
    "IPv4 and IPv6 addresses",
    {
      given:
        "from 192.168.1.20 and 2001:db8::8a2e:370:7334, via fe80::1ff:fe23:4567:890a, to 8.8.8.8",
      want: "from [IP_1] and [IP_2], via [IP_3], to [IP_4]",
    },
  ],
  [
    "the same value twice gets the same token",
    {
      given: "jane@example.com wrote to jane@example.com",
      want: "[EMAIL_1] wrote to [EMAIL_1]",
    },
  ],
];

const leftAlone: Case[] = (
  [
    ["a card number that fails Luhn", "4111 1111 1111 1112"],
    ["digits inside a hex digest", "sha deadbeef4111111111111111cafe"],
    ["a row of numbers", "95 96 97 98 99 100 101 102 103 104 105 106 107"],
    ["dates and times", "2024-01-15, 15/01/2024, 2024-01-15T10:30:00Z, at 12:30:45"],
    ["version numbers", "v1.2.3, release 10.2.0, 1.2.3.4.5, node 20.19.43"],
    ["timestamps", "1700000000000 and 1700000000"],
    ["order numbers and ids", "order 2024-0001-7731, #1234567890123, ref 0123456789"],
    ["an IBAN with a wrong checksum", "DE89370400440532013001"],
    ["numbers without a country code", "call 020 7946 0958 or (415) 555-2671"],
    ["not an address", "a@b, user@localhost, @handle, x@y.z"],
    ["out-of-range and nobody's IPs", "999.1.1.1, 1.2.3, ::, ::1, 00:1A:2B:3C:4D:5E"],
    ["a token-shaped text", "[EMAIL_1] and [NOT A TOKEN]"],
  ] as const
).map(([title, given]): Case => [title, { given, want: given }]);

describe("detecting personal data", () => {
  it.each(found)("finds %s", (_title, { given, want }) => {
    expect(tokenized(given)).toBe(want);
  });
  it.each(leftAlone)("leaves alone %s", (_title, { given, want }) => {
    expect(tokenized(given)).toBe(want);
  });

  it("detects only the kinds configured, plus the config's patterns", () => {
    const some = detector({
      kinds: ["email"],
      patterns: [{ name: "STAFF_ID", source: "\\bE\\d{6}\\b" }],
    });
    expect(
      new TokenVault().hider(some)("jane@example.com +44 20 7946 0958 E123456 XE1234567"),
    ).toBe("[EMAIL_1] +44 20 7946 0958 [STAFF_ID_1] XE1234567");
  });
});

describe("detecting in hostile text", () => {
  // A server's text is anyone's: no finder may try each position of a long run again (before
  // the email pattern was bounded, 100 KB of letters took 30 s). CPU time, for a shared machine.
  const runs: [string, string][] = [
    ["letters", "a".repeat(100_000)],
    ["digits", "1".repeat(100_000)],
    ["dotted digits", "1.".repeat(50_000)],
    ["dotted letters before an at sign", `${"a.".repeat(50_000)}@example.com`],
    ["hex and colons", "a:".repeat(50_000)],
    ["plus signs and digits", "+1 ".repeat(33_000)],
    ["spaced digits", "4 ".repeat(50_000)],
  ];
  it.each(runs)("stays linear on a 100 KB run of %s", (_title, text) => {
    const start = process.cpuUsage();
    tokenized(text);
    const { user, system } = process.cpuUsage(start);
    expect((user + system) / 1000).toBeLessThan(2000);
  });

  it("stays linear revealing a 100 KB run of token-like text", () => {
    const vault = new TokenVault();
    vault.hider(all)("jane@example.com");
    const start = process.cpuUsage();
    vault.reveal("[A_".repeat(33_000) + "[" + "A".repeat(100_000) + "_1");
    const { user, system } = process.cpuUsage(start);
    expect((user + system) / 1000).toBeLessThan(2000);
  });
});
