/**
 * MITRE ATT&CK for ICS: the techniques CraneWatch's detectors report and the twin's scenarios
 * exercise, with the ids and names of the matrix version `ATTACK_ICS_VERSION`
 * (https://attack.mitre.org/techniques/ics/). Findings store the version next to the ids, so a
 * later renumbering never changes what an old finding meant.
 */

/** The ATT&CK for ICS release whose ids and names this table uses. */
export const ATTACK_ICS_VERSION = 'v17';

/** One technique: `T0855` style id and its name. */
export interface IcsTechnique {
  readonly id: string;
  readonly name: string;
}

/** The techniques, by a stable constant name. */
export const Technique = {
  UNAUTHORIZED_COMMAND: { id: 'T0855', name: 'Unauthorized Command Message' },
  MODIFY_PARAMETER: { id: 'T0836', name: 'Modify Parameter' },
  SYSTEM_FIRMWARE: { id: 'T0857', name: 'System Firmware' },
  MODULE_FIRMWARE: { id: 'T0839', name: 'Module Firmware' },
  MASQUERADING: { id: 'T0849', name: 'Masquerading' },
  LOSS_OF_PROTECTION: { id: 'T0837', name: 'Loss of Protection' },
  LOSS_OF_AVAILABILITY: { id: 'T0826', name: 'Loss of Availability' },
  ROGUE_MASTER: { id: 'T0848', name: 'Rogue Master' },
  REMOTE_SYSTEM_DISCOVERY: { id: 'T0846', name: 'Remote System Discovery' },
  REMOTE_SYSTEM_INFO_DISCOVERY: { id: 'T0888', name: 'Remote System Information Discovery' },
  POINT_TAG_IDENTIFICATION: { id: 'T0861', name: 'Point & Tag Identification' },
  NETWORK_CONNECTION_ENUMERATION: { id: 'T0840', name: 'Network Connection Enumeration' },
  CHANGE_OPERATING_MODE: { id: 'T0858', name: 'Change Operating Mode' },
  PROGRAM_DOWNLOAD: { id: 'T0843', name: 'Program Download' },
  PROGRAM_UPLOAD: { id: 'T0845', name: 'Program Upload' },
  DEVICE_RESTART_SHUTDOWN: { id: 'T0816', name: 'Device Restart/Shutdown' },
  MODIFY_CONTROLLER_TASKING: { id: 'T0821', name: 'Modify Controller Tasking' },
  DENIAL_OF_CONTROL: { id: 'T0813', name: 'Denial of Control' },
  SERVICE_STOP: { id: 'T0881', name: 'Service Stop' },
  EXTERNAL_REMOTE_SERVICES: { id: 'T0822', name: 'External Remote Services' },
  REMOTE_SERVICES: { id: 'T0886', name: 'Remote Services' },
  VALID_ACCOUNTS: { id: 'T0859', name: 'Valid Accounts' },
  INTERNET_ACCESSIBLE_DEVICE: { id: 'T0883', name: 'Internet Accessible Device' },
  CONNECTION_PROXY: { id: 'T0884', name: 'Connection Proxy' },
  THEFT_OF_OPERATIONAL_INFORMATION: { id: 'T0882', name: 'Theft of Operational Information' },
  STANDARD_APPLICATION_LAYER_PROTOCOL: { id: 'T0869', name: 'Standard Application Layer Protocol' },
  COMMONLY_USED_PORT: { id: 'T0885', name: 'Commonly Used Port' },
  SPOOF_REPORTING_MESSAGE: { id: 'T0856', name: 'Spoof Reporting Message' },
  MANIPULATION_OF_VIEW: { id: 'T0832', name: 'Manipulation of View' },
  MANIPULATION_OF_CONTROL: { id: 'T0831', name: 'Manipulation of Control' },
  LOSS_OF_VIEW: { id: 'T0829', name: 'Loss of View' },
  AUTOMATED_COLLECTION: { id: 'T0802', name: 'Automated Collection' },
  MONITOR_PROCESS_STATE: { id: 'T0801', name: 'Monitor Process State' },
  TRANSIENT_CYBER_ASSET: { id: 'T0864', name: 'Transient Cyber Asset' },
} as const satisfies Record<string, IcsTechnique>;
