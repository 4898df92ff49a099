// The push-approval tables (migration 0020) as Kysely sees them.
export interface PushDevicesTable {
  id: string;
  user_id: string;
  device_token_hash: string;
  name: string;
  push_endpoint: string | null;
  push_p256dh: string | null;
  push_auth: string | null;
  created_at: number;
  last_used_at: number | null;
}

export type PushRequestStatus = "pending" | "approved" | "denied" | "expired" | "used";

export interface PushRequestsTable {
  id: string;
  user_id: string;
  challenge_hash: string;
  seq: number;
  number: number;
  choices: string;
  ip: string;
  user_agent: string;
  status: PushRequestStatus;
  created_at: number;
  expires_at: number;
  decided_at: number | null;
  decided_by_device: string | null;
  used_at: number | null;
}

export interface VapidKeysTable {
  id: string;
  public_key: string;
  private_key_sealed: Buffer;
  created_at: number;
}

export interface PushApprovalTables {
  push_devices: PushDevicesTable;
  push_requests: PushRequestsTable;
  vapid_keys: VapidKeysTable;
}
