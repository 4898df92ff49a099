// English sentences for problems with a request as such: its shape, its credentials, where it
// came from, and a server that cannot answer it. Keys are stable API codes; see otp.ts.
export const REQUEST_PROBLEMS = {
  request_invalid: "The request is not valid.",
  request_part_invalid: "The {{part}} {{reason}}.",
  field_required: 'The field "{{field}}" is required.',
  field_not_expected: 'The field "{{field}}" is not expected here.',
  field_invalid: 'The field "{{field}}" {{reason}}.',
  field_too_long: {
    one: 'The field "{{field}}" must be at most {{count}} character long.',
    other: 'The field "{{field}}" must be at most {{count}} characters long.',
  },
  field_too_short: {
    one: 'The field "{{field}}" must be at least {{count}} character long.',
    other: 'The field "{{field}}" must be at least {{count}} characters long.',
  },
  field_too_many_items: { one: 'The field "{{field}}" holds at most {{count}} item.', other: 'The field "{{field}}" holds at most {{count}} items.' },
  field_too_few_items: { one: 'The field "{{field}}" needs at least {{count}} item.', other: 'The field "{{field}}" needs at least {{count}} items.' },
  field_below_minimum: 'The field "{{field}}" must be at least {{limit}}.',
  field_above_maximum: 'The field "{{field}}" must be at most {{limit}}.',
  field_wrong_type: 'The field "{{field}}" must be of type {{type}}.',
  field_wrong_format: 'The field "{{field}}" must be a valid {{format}}.',
  field_not_allowed: 'The field "{{field}}" has a value that is not allowed here.',
  field_pattern_mismatch: 'The field "{{field}}" is not in the expected form.',
  body_too_large: "The request body is too large.",
  body_not_json_media: "Send the request body as application/json.",
  body_length_mismatch: "The request's Content-Length does not match its body.",
  body_empty: "The request body is empty; send a JSON object.",
  body_not_json: "The request body is not valid JSON.",
  route_not_found: "There is nothing at {{method}} {{path}}.",

  sign_in_required: "Sign in to continue.",
  authorization_header_invalid: 'The Authorization header must be "Bearer" followed by a token.',
  token_invalid: "The token is not valid or has expired. Sign in again.",
  csrf_token_missing: "The request is missing its CSRF token. Reload the page and try again.",
  cross_site_refused: "Requests from other sites cannot change anything here.",
  origin_invalid: "The request's Origin header is not a valid address.",

  internal_error: "Something went wrong on the server. Quote request id {{requestId}} to your administrator.",
  database_unreachable: "The database cannot be reached.",
  database_schema_not_current: "The database schema is not current: restart Watchword to run its migrations.",
  server_unreachable: "Could not reach the Watchword server at {{address}} ({{reason}}).",
  server_answered: "The server answered {{status}} {{statusText}}.",
} as const;
