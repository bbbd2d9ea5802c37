import { ApiError } from '../../../lib/api-client';

/** What a failed file operation means to the user, decided by the error's code. */
export function describeFileError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'NAME_TAKEN':
    case 'CONFLICT':
      return 'Something with this name is already there. Choose another name.';
    case 'INVALID_NAME':
    case 'INVALID_PATH':
    case 'VALIDATION_FAILED':
      return 'Names may not be empty, "." or "..", or contain "/", "\\" or control characters.';
    case 'FORBIDDEN':
      return 'Your role in this space does not allow this.';
    case 'FOLDER_NOT_FOUND':
    case 'PATH_NOT_FOUND':
    case 'NOT_FOUND':
      return 'It is no longer there: someone may have moved or deleted it. Refresh the folder.';
    case 'SPACE_NOT_FOUND':
      return 'This space no longer exists, or you are no longer a member.';
    case 'NODE_UNAVAILABLE':
    case 'NODE_ERROR':
      return 'The storage server is not answering. Try again in a moment.';
    case 'NETWORK_ERROR':
      return 'Courier cannot be reached. Check your connection and try again.';
    default:
      return `Something went wrong (${error.code}). Try again.`;
  }
}
