import hashlib
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

# RS256 like the big providers: sign with the private key, check with the public one
private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
private_pem = private_key.private_bytes(
    serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption(),
)
public_pem = private_key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
# key id = start of the public key's hash, so we can tell keys apart later
kid = hashlib.sha256(public_pem).hexdigest()[:16]

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.getenv("DATABASE_URL")
app.config["JWT_ALGORITHM"] = "RS256"
app.config["JWT_PRIVATE_KEY"] = private_pem
app.config["JWT_PUBLIC_KEY"] = public_pem
db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.getenv("FRONTEND_URL")])


class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    password = db.Column(db.String(255), nullable=False)


with app.app_context():
    db.create_all()


@app.post("/register")
def register():
    data = request.get_json()
    if Member.query.filter_by(username=data["username"]).first():
        return jsonify({"msg": "already registered"}), 409
    db.session.add(
        Member(username=data["username"], password=generate_password_hash(data["password"]))
    )
    db.session.commit()
    return jsonify({"msg": "ok"}), 201


@app.post("/login")
def login():
    data = request.get_json()
    member = Member.query.filter_by(username=data.get("username")).first()
    if not member or not check_password_hash(member.password, data.get("password", "")):
        return jsonify({"msg": "Bad username or password"}), 401
    token = create_access_token(identity=str(member.id), additional_headers={"kid": kid})
    return jsonify({"token": token})


@app.get("/me")
@jwt_required()
def me():
    member = db.session.get(Member, int(get_jwt_identity()))
    return jsonify({"id": member.id, "username": member.username})
