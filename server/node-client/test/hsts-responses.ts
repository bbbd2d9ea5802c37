/**
 * Answers of a real HSTS, named by what the node does, in the shapes docs/node-api.md
 * documents (its examples and §9 variants). Kept as data so a recorded answer can be pasted in.
 */

const fullPermissions = [{ name: 'view' }, { name: 'edit' }, { name: 'delete' }];

/** §3 example: browse with the counts ascli relies on. */
export const browseWithCounts = {
  self: { path: '/Upload', basename: 'Upload', type: 'directory', size: 0, mtime: '2024-05-01T10:00:00Z', permissions: fullPermissions },
  items: [
    { path: '/Upload/a.bin', basename: 'a.bin', type: 'file', size: 1048576, mtime: '2024-05-01T09:59:00Z', permissions: fullPermissions },
  ],
  item_count: 1,
  total_count: 1,
};

/** §9.3: the OAS schema has no item_count/total_count; some entries omit basename and permissions. */
export const browseWithoutCounts = {
  self: { path: '/Upload', basename: 'Upload', type: 'directory', size: 0, mtime: '2024-05-01T10:00:00Z' },
  items: [
    { path: '/Upload/sub', type: 'directory', mtime: '2024-05-01T09:00:00Z', permissions: null },
    {
      path: '/Upload/link',
      basename: 'link',
      type: 'symbolic_link',
      size: '12',
      mtime: '2024-05-01T09:00:00Z',
      target: { path: '/Upload/a.bin' },
    },
  ],
};

/** §0 standard error body. */
export const errorPathNotFound = { error: { code: 404, reason: 'Not Found', user_message: 'Path not found' } };
/** §0: ascli's analyzer also reads `description` and `internal_message`. */
export const errorWithDescription = { error: { code: 409, description: 'Directory not empty' } };
export const errorWithInternalMessage = { error: { internal_message: 'Redis unavailable' } };
/** §0 (OAS files-id-put-404): an error with no words at all. */
export const errorBare = { error: '' };
export const errorUnauthorized = { error: { code: 401, reason: 'Unauthorized', user_message: 'Invalid credentials' } };

/** §3: create answers 200 with per-item errors. */
export const createOneConflict = {
  paths: [
    { path: '/Upload/new' },
    { path: '/Upload/project-42', error: { code: 409, reason: 'Conflict', user_message: 'Path already exists' } },
  ],
};
export const deleteOneMissing = {
  paths: [
    { path: '/Upload/a.bin' },
    { path: '/Upload/gone', error: { code: 404, reason: 'Not Found', user_message: 'Path does not exist' } },
  ],
};
export const renameExists = {
  paths: [
    {
      path: '/Upload',
      source: 'old.txt',
      destination: 'new.txt',
      error: { code: 409, reason: 'Conflict', user_message: 'Destination exists' },
    },
  ],
};

/** §4 download example: `tags: null`, string-free ints, fields the OAS does not list (sshfp). */
export const downloadSpec = {
  paths: [{ source: '/Outbox/report.pdf' }],
  source_root: '',
  destination_root: '',
  token: 'ATM2_ACxxxxxxxxxxxxxxxxxxxx_2MTA',
  direction: 'receive',
  cipher: 'aes-128',
  tags: null,
  rate_policy_allowed: 'fixed',
  rate_policy: 'fair',
  target_rate_kbps: 100000,
  min_rate_kbps: 0,
  remote_host: 'hsts.example.com',
  remote_user: 'xfer',
  sshfp: 'b42d',
  ssh_port: 33001,
  fasp_port: 33001,
  http_fallback: true,
  http_fallback_port: 8443,
};
/** §4 upload (IBM manual): `paths: [{}]`, the authorized folder in destination_root; §9.8 string rate. */
export const uploadSpec = {
  paths: [{}],
  destination_root: '/Upload/p42',
  token: 'ATM2_ACyyyyyyyyyyyyyyyyyyyy_2MTA',
  direction: 'send',
  remote_host: 'hsts.example.com',
  remote_user: 'xfer',
  ssh_port: '33001',
  fasp_port: 33001,
  target_rate_kbps: '100000',
  http_fallback: 'force',
  wss_enabled: true,
  wss_port: 443,
  some_future_field: { kept: true },
};
const notFoundItem = { code: 404, reason: 'Not Found', user_message: 'Path does not exist' };
/** §4 / §9.2: the error beside the spec (what the examples' portal reads). */
export const setupErrorAtItem = { transfer_specs: [{ error: notFoundItem }] };
/** §9.2: the error inside the spec (the other placement ascli reads). */
export const setupErrorInsideSpec = { transfer_specs: [{ transfer_spec: { error: notFoundItem } }] };

/** §5 transfer object; `error_code` as the OAS string, `precalc` ready. */
export const transferCompleted = {
  id: '2c1f0a6e-1111-4f00-9a00-000000000001',
  status: 'completed',
  start_spec: {
    direction: 'send',
    remote_host: '10.0.0.9',
    remote_user: 'xfer',
    source_paths: ['a.bin'],
    destination_path: '/Upload/p42',
    tags: null,
    target_rate_kbps: '100000',
  },
  bytes_transferred: 1048576,
  files_completed: 1,
  start_time_usec: 1714557540000000,
  end_time_usec: 1714557541000000,
  error_code: '0',
  error_desc: '',
  precalc: { enabled: true, status: 'ready', bytes_expected: 1048576, files_expected: 1 },
  files: [{ path: '/Upload/p42/a.bin', status: 'completed', size: 1048576, bytes_written: 1048576, error_code: 0, error_desc: '' }],
};
/** §5 quirk: failed with an int error code; sessions present, precalc not ready. */
export const transferFailed = {
  id: '2c1f0a6e-1111-4f00-9a00-000000000002',
  status: 'failed',
  bytes_transferred: 10,
  error_code: 36,
  error_desc: 'Disk write failed',
  precalc: { status: 'running', bytes_expected: 0 },
  sessions: [{ id: 's1', status: 'failed', error_code: 36 }],
};
export const transferRunning = {
  id: '2c1f0a6e-1111-4f00-9a00-000000000003',
  status: 'running',
  bytes_transferred: 5,
  error_code: '',
  error_desc: '',
};

/** A reverse proxy's error page in front of a node. */
export const htmlErrorPage =
  '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';
