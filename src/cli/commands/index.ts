/** Every `eseal` command, in the order `eseal --help` lists them. */
import type { Command } from '../command.js';
import { keygen, keyImport, keyPub, keyShow } from './keys.js';
import { sm2SignCmd, sm2VerifyCmd, sm3Cmd } from './sm2.js';
import { caInit, certIssue, certShow, certVerify, crlIssue, crlRevoke, crlShow } from './ca.js';
import { start } from './start.js';
import { stamp, verify } from './documents.js';
import { ofdCreate, ofdRender, ofdInfo } from './ofd.js';
import { PLATFORM_COMMANDS } from './serve.js';
import { sealMake, sealShow, sealVerify, sealImage, sesSign, sesVerify, tsaInit, policyShow } from './seal.js';

export const COMMANDS: Command[] = [start, ...PLATFORM_COMMANDS, stamp, verify, keygen, keyPub, keyShow, keyImport, sm2SignCmd, sm2VerifyCmd, sm3Cmd, caInit, certIssue, certShow, certVerify, crlRevoke, crlIssue, crlShow, sealMake, sealShow, sealVerify, sealImage, sesSign, sesVerify, tsaInit, policyShow, ofdCreate, ofdRender, ofdInfo];
