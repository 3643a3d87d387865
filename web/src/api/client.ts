import i18n from '../i18n';
import { createApiClient } from './http';
import { staffTokens, subscriberTokens } from './tokens';

export { ApiError, type ApiClient } from './http';

// Server messages follow the UI language.
const language = () => i18n.language;

/** Subscriber app calls (tokens in localStorage `telehall.sub`). */
export const subscriberApi = createApiClient(subscriberTokens, { language });
/** Staff console calls (tokens in localStorage `telehall.staff`). */
export const staffApi = createApiClient(staffTokens, { language });
