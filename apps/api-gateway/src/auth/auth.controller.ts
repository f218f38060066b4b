import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthLogin, AuthMe, AuthRefresh, AuthRegister, AuthTwoFactorSetup, RequestOrigin, RpcPatterns } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller, Origin, Public, SensitiveAuthRoute } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { ChangePasswordDto, LoginDto, PasswordResetConfirmDto, PasswordResetRequestDto, RefreshDto, RegisterDto, TokensDto, TotpCodeDto, TwoFactorSetupDto, UserDto } from './auth.dto';

@ApiTags('auth')
@ApiResponse({ status: 400, type: ErrorBodyDto, description: 'Invalid request (every field error in details)' })
@ApiResponse({ status: 429, type: ErrorBodyDto, description: 'Rate limited (Retry-After)' })
@Controller('auth')
export class AuthController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('register')
  @Public()
  @SensitiveAuthRoute()
  @ApiOperation({ summary: 'Create a trader account' })
  @ApiResponse({ status: 201, type: UserDto })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'Email taken' })
  register(@Body() body: RegisterDto, @Origin() origin: RequestOrigin): Promise<AuthRegister.Response> {
    return this.rpc.send(RpcPatterns.AuthRegister, { ...body, origin });
  }

  @Post('login')
  @Public()
  @SensitiveAuthRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in: an access token and a single-use refresh token' })
  @ApiResponse({ status: 200, type: TokensDto })
  @ApiResponse({ status: 401, type: ErrorBodyDto, description: 'Wrong credentials, or TOTP_REQUIRED' })
  @ApiResponse({ status: 423, type: ErrorBodyDto, description: 'Locked after too many failures' })
  login(@Body() body: LoginDto, @Origin() origin: RequestOrigin): Promise<AuthLogin.Response> {
    return this.rpc.send(RpcPatterns.AuthLogin, { ...body, origin });
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for new tokens (rotation; a reused token revokes the login)' })
  @ApiResponse({ status: 200, type: TokensDto })
  @ApiResponse({ status: 401, type: ErrorBodyDto })
  refresh(@Body() body: RefreshDto, @Origin() origin: RequestOrigin): Promise<AuthRefresh.Response> {
    return this.rpc.send(RpcPatterns.AuthRefresh, { refreshToken: body.refreshToken, origin });
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this login (its refresh tokens and access tokens)' })
  @ApiResponse({ status: 204 })
  async logout(@Caller() caller: GatewayCaller, @Origin() origin: RequestOrigin): Promise<void> {
    await this.rpc.send(RpcPatterns.AuthLogout, { caller: rpcCaller(caller), sessionId: caller.sid, origin });
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller' })
  @ApiResponse({ status: 200, type: UserDto })
  me(@Caller() caller: GatewayCaller): Promise<AuthMe.Response> {
    return this.rpc.send(RpcPatterns.AuthMe, { caller: rpcCaller(caller) });
  }

  @Post('password/change')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change the password (ends every login of the account)' })
  @ApiResponse({ status: 204 })
  async changePassword(@Caller() caller: GatewayCaller, @Body() body: ChangePasswordDto, @Origin() origin: RequestOrigin): Promise<void> {
    await this.rpc.send(RpcPatterns.AuthChangePassword, { caller: rpcCaller(caller), ...body, origin });
  }

  @Post('password/reset-request')
  @Public()
  @SensitiveAuthRoute()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask for a password reset',
    description: 'Always 202. No mail is sent yet: an operator issues the token with `tradectl user reset-token --email`.',
  })
  @ApiResponse({ status: 202 })
  async requestPasswordReset(@Body() body: PasswordResetRequestDto, @Origin() origin: RequestOrigin): Promise<void> {
    await this.rpc.send(RpcPatterns.AuthPasswordResetRequest, { email: body.email, origin });
  }

  @Post('password/reset')
  @Public()
  @SensitiveAuthRoute()
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with a reset token (single use, expiring)' })
  @ApiResponse({ status: 204 })
  async resetPassword(@Body() body: PasswordResetConfirmDto, @Origin() origin: RequestOrigin): Promise<void> {
    await this.rpc.send(RpcPatterns.AuthPasswordResetConfirm, { ...body, origin });
  }

  @Post('2fa/setup')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start TOTP enrollment: a secret to add to an authenticator app' })
  @ApiResponse({ status: 200, type: TwoFactorSetupDto })
  setupTwoFactor(@Caller() caller: GatewayCaller): Promise<AuthTwoFactorSetup.Response> {
    return this.rpc.send(RpcPatterns.AuthTwoFactorSetup, { caller: rpcCaller(caller) });
  }

  @Post('2fa/enable')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Finish TOTP enrollment with a current code; login then requires a code' })
  @ApiResponse({ status: 204 })
  async enableTwoFactor(@Caller() caller: GatewayCaller, @Body() body: TotpCodeDto, @Origin() origin: RequestOrigin): Promise<void> {
    await this.rpc.send(RpcPatterns.AuthTwoFactorEnable, { caller: rpcCaller(caller), code: body.code, origin });
  }

  @Post('2fa/disable')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Turn TOTP off (needs a current code)' })
  @ApiResponse({ status: 204 })
  async disableTwoFactor(@Caller() caller: GatewayCaller, @Body() body: TotpCodeDto, @Origin() origin: RequestOrigin): Promise<void> {
    await this.rpc.send(RpcPatterns.AuthTwoFactorDisable, { caller: rpcCaller(caller), code: body.code, origin });
  }
}
