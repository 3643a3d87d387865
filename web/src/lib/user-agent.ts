export interface UserAgentSummary {
  browser: string | null;
  os: string | null;
}

const browsers: [RegExp, string][] = [
  [/MicroMessenger\/[\d.]+/, 'WeChat'],
  [/Edg(?:e|A|iOS)?\/[\d.]+/, 'Edge'],
  [/OPR\/[\d.]+/, 'Opera'],
  [/SamsungBrowser\/[\d.]+/, 'Samsung Internet'],
  [/UCBrowser\/[\d.]+/, 'UC'],
  [/HeadlessChrome\/[\d.]+/, 'Headless Chrome'],
  [/(?:Chrome|CriOS)\/[\d.]+/, 'Chrome'],
  [/(?:Firefox|FxiOS)\/[\d.]+/, 'Firefox'],
  [/Version\/[\d.]+.*Safari/, 'Safari'],
  [/^curl\//, 'curl'],
];

const systems: [RegExp, string][] = [
  [/HarmonyOS/, 'HarmonyOS'],
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** Reduces a User-Agent header to "browser" and "OS" names for a device list. */
export function summarizeUserAgent(ua: string): UserAgentSummary {
  const browser = browsers.find(([re]) => re.test(ua))?.[1] ?? null;
  const os = systems.find(([re]) => re.test(ua))?.[1] ?? null;
  return { browser, os };
}
