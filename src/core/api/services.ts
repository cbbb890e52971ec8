import { t } from '../i18n';

/** Where and how to reach one upscale service; the key travels in `auth`, never in a log line. */
export interface ServiceProfile {
  /** Which settings a wrong address or path is fixed in: failures name them. */
  service: ServiceKind;
  baseUrl: string;
  /** With `{model}` for Ideogram's v2 upscalers. */
  submitPath: string;
  /** With `{task_id}`; used only when the service answers with a task. */
  taskQueryPath: string;
  auth: { header: string; value: string };
}

/** The API gateway's upscale endpoint: `{baseUrl}/ideogram/upscale` with a Bearer key. */
export function gatewayProfile(baseUrl: string, taskQueryPath: string, key: string): ServiceProfile {
  return {
    service: 'gateway',
    baseUrl: checkedBaseUrl(baseUrl),
    submitPath: '/ideogram/upscale',
    taskQueryPath,
    auth: { header: 'Authorization', value: `Bearer ${key}` },
  };
}

/**
 * A key must not cross the network in clear text: plain http is accepted only for this machine
 * (a local emulator or proxy). A refusal names the setting the address came from.
 */
export function checkedBaseUrl(raw: string, service: ServiceKind = 'gateway'): string {
  const setting = addressSetting(service);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(t('"{0}" is not a URL. Set "{1}" to the address of the service, such as {2}.', raw, setting, service === 'gateway' ? 'https://yunwu.ai' : 'https://api.ideogram.ai'));
  }
  if (url.protocol === 'https:') return url.href.replace(/\/+$/, '');
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url.href.replace(/\/+$/, '');
  throw new Error(t('"{0}" is not an https address; the key is only sent over https (plain http only to this machine). Set "{1}" to an https address.', raw, setting));
}

/** The setting that holds the service's address. */
export function addressSetting(service: ServiceKind): string {
  return service === 'gateway' ? 'ideogramUpscale.baseUrl' : 'ideogramUpscale.ideogramBaseUrl';
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** `ideogramV2`: Ideogram's current upscalers, on the same address and with the same key as `ideogram`. */
export type ServiceKind = 'gateway' | 'ideogram' | 'ideogramV2';

/** Ideogram's own API: `{base}/upscale` with the key in an `Api-Key` header; it answers synchronously. */
export function ideogramProfile(baseUrl: string, key: string): ServiceProfile {
  return {
    service: 'ideogram',
    baseUrl: checkedBaseUrl(baseUrl, 'ideogram'),
    submitPath: '/upscale',
    taskQueryPath: '/upscale/{task_id}',
    auth: { header: 'Api-Key', value: key },
  };
}

/** Ideogram's current upscalers: `{base}/v2/image/upscale/{model}`, asynchronous, polled at `/v2/generations/{id}`. */
export function ideogramV2Profile(baseUrl: string, key: string): ServiceProfile {
  return {
    service: 'ideogramV2',
    baseUrl: checkedBaseUrl(baseUrl, 'ideogramV2'),
    submitPath: '/v2/image/upscale/{model}',
    taskQueryPath: '/v2/generations/{task_id}',
    auth: { header: 'Api-Key', value: key },
  };
}
