// English sentences for addresses and networks a person types (API token allowlists,
// core/address-allowlist.ts). {{text}} is what they typed, cut to 64 characters; the examples are
// parameters because an IPv6 network's colons are not punctuation to translate.
export const ADDRESS_PROBLEMS = {
  address_not_valid: 'The address "{{text}}" is not an IP address or network; write it as {{ipv4}} or {{ipv6}}.',
  network_prefix_invalid: 'The network "{{text}}" needs a prefix length from 0 to {{longest}} after the "/".',
} as const;
